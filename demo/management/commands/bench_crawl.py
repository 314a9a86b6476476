"""Every page each demo role reaches by links from its home page, timed against the floor page.

Used by `make bench` at 10,000 households, and by `make bench-50000` on two programmes with
`--dispositifs 2` (see demo/crawl.py for what is followed and skipped); bench/rapport.py adds the
worst pages per role to var/bench/rapport.{md,json}. Exits with an error when a page is above the
target (its median over the floor's median, timed in turn)."""

import json

from django.core.management.base import BaseCommand, CommandError

from demo import comptes as demo
from demo.crawl import crawl
from menages.models import Menage

# The demo accounts of each programme, in the order of seed_scale's programmes.
COMPTES_PAR_DISPOSITIF = [demo.COMPTES, demo.COMPTES_PO]


class Command(BaseCommand):
    help = "Follows the links of each demo role from its home page and times every page against the floor."

    def add_arguments(self, parser):
        parser.add_argument("--objectif", type=float, default=3.0, help="largest ratio to the floor page")
        parser.add_argument("--repetitions", type=int, default=5, help="requests per page (median)")
        parser.add_argument("--par-motif", type=int, default=3, help="pages kept per URL pattern and role")
        parser.add_argument("--max-pages", type=int, default=400, help="pages measured per role at most")
        parser.add_argument(
            "--exclure", nargs="*", default=[], help="path prefixes not followed (e.g. /admin/)"
        )
        parser.add_argument(
            "--comptes", nargs="*", help="usernames (default: every demo account of the programmes crawled)"
        )
        parser.add_argument(
            "--dispositifs",
            type=int,
            default=1,
            help="demo programmes whose accounts are crawled: 1 (Aude) or 2 (and Pyrénées-Orientales)",
        )
        parser.add_argument("--sortie", help="JSON file to write")

    def handle(
        self,
        *args,
        objectif,
        repetitions,
        par_motif,
        max_pages,
        exclure,
        comptes=None,
        dispositifs=1,
        sortie=None,
        **options,
    ):
        if repetitions < 1 or par_motif < 1:
            raise CommandError("--repetitions et --par-motif valent au moins 1.")
        if not 1 <= dispositifs <= len(COMPTES_PAR_DISPOSITIF):
            raise CommandError(f"--dispositifs vaut de 1 à {len(COMPTES_PAR_DISPOSITIF)}.")
        usernames = comptes or [c[0] for liste in COMPTES_PAR_DISPOSITIF[:dispositifs] for c in liste]
        result = crawl(
            usernames,
            objectif=objectif,
            repetitions=repetitions,
            per_pattern=par_motif,
            max_pages=max_pages,
            excluded=exclure,
            log=self.stdout.write if options["verbosity"] > 1 else None,
        )
        result["menages"] = Menage.objects.count()  # the scale, for the report
        if sortie:
            with open(sortie, "w") as f:
                json.dump(result, f, indent=2, ensure_ascii=False)
        for username, role in result["roles"].items():
            pire = role["pages"][0] if role["pages"] else None
            self.stdout.write(
                f"{username:20} {len(role['pages']):4d} pages{'+' if role['tronque'] else ' '} plancher {role['plancher_ms']:6.1f} ms  "
                + (f"pire {pire['ratio']:5.2f} × ({pire['requetes']} requêtes) {pire['url']}" if pire else "")
            )
        self.stdout.write(
            f"{result['pages_mesurees']} pages mesurées, ratio au plancher maximal {result['ratio_max']:.2f} "
            f"(objectif {objectif:g})"
        )
        if not result["objectif_atteint"]:
            lignes = [f"{p['ratio']:.2f} × {p['role']} {p['url']}" for p in result["depassements"]]
            lignes += [f"HTTP {e['statut']} {e['role']} {e['url']}" for e in result["erreurs_serveur"]]
            raise CommandError(
                f"{len(result['depassements'])} page(s) au-dessus de {objectif:g} fois le plancher, "
                f"{len(result['erreurs_serveur'])} erreur(s) serveur :\n" + "\n".join(lignes)
            )
