"""Server-side latency and SQL queries of the key pages, against the current database.

Used by `make bench` (see bench/rapport.py), which runs it at 100 and at 10,000 households and
compares each page with the floor (a logged-in page of the same layout making one query itself)."""

import json
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comites.models import Seance
from comptes.models import Utilisateur
from menages.enums import EtatParcours
from menages.models import Menage


def pages():
    """(name, username, url) of the pages measured."""
    menage = (
        Menage.objects.filter(etat=EtatParcours.ACCOMPAGNEMENT, bailleur__sigle="Habitat Audois")
        .order_by("-pk")
        .first()
    )
    # The tenant of Habitat Audois with the longest rent account: the heaviest tenant file.
    locataire = (
        Menage.objects.filter(bailleur__sigle="Habitat Audois")
        .annotate(n=Count("soldes_locatifs"))
        .order_by("-n", "pk")
        .first()
    )
    seance = Seance.objects.filter(date__gte=timezone.now()).order_by("date").first() or Seance.objects.last()
    liste = reverse("dossiers:liste")
    result = [
        ("plancher", "ts.adaff", reverse("plancher")),
        ("liste_filtree", "ts.adaff", f"{liste}?etat=accompagnement&bailleur={menage.bailleur_id}"),
        ("recherche_nom", "ts.adaff", f"{liste}?q=lefevre"),
        ("mes_menages", "ts.adaff", f"{liste}?mes_menages=on"),
        ("dossier_menage", "ts.adaff", menage.get_absolute_url()),
        ("chronologie_menage", "ts.adaff", reverse("dossiers:chronologie", args=[menage.pk])),
        ("tableau_de_bord_ts", "ts.adaff", reverse("tableau_de_bord")),
        ("ordre_du_jour", "comite.cg", seance.get_absolute_url()),
        ("tableau_de_bord_cesf", "cesf.habitat", reverse("tableau_de_bord")),
        (
            "indicateurs_financeur",
            "financeur.ddcspp",
            reverse("financement:tableau", args=[menage.dispositif_id]),
        ),
        ("dossier_locatif", "cesf.habitat", reverse("logements:dossier_locatif", args=[locataire.pk])),
    ]
    for name, username, url_name in getattr(settings, "BENCH_EXTRA_PAGES", []):
        result.append((name, username, reverse(url_name)))
    return result


class Command(BaseCommand):
    help = "Measures server-side latency (p50, p95) and SQL queries of the key pages."

    def add_arguments(self, parser):
        # The p95 of 30 requests is their second slowest: one pause of the machine decides it.
        # With 100, it is the sixth slowest.
        parser.add_argument("--repetitions", type=int, default=100)
        parser.add_argument("--sortie", help="JSON file to write")

    def handle(self, *args, repetitions, sortie=None, **options):
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        results = {"menages": Menage.objects.count(), "pages": {}}
        # The pages are requested in turn, each repetition once each: a slower spell of the machine
        # then weighs on every page alike, not on the page measured at that moment (timed one after
        # the other, a page's p50 went from 33 to 46 ms between two runs, the floor's not).
        mesures, clients = [], {}
        for name, username, url in pages():
            client = clients.get(username)
            if client is None:
                client = clients[username] = Client()
                client.force_login(Utilisateur.objects.get(username=username))
            client.get(url)  # warm-up (templates, connections)
            mesures.append(
                {"name": name, "url": url, "client": client, "durations": [], "queries": 0, "slowest": 0.0}
            )
        for _ in range(repetitions):
            for mesure in mesures:
                reset_queries()
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = mesure["client"].get(mesure["url"])
                    mesure["durations"].append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{mesure['name']}: HTTP {response.status_code} for {mesure['url']}")
                mesure["queries"] = len(ctx.captured_queries)
                mesure["slowest"] = max(
                    [mesure["slowest"], *(float(q["time"]) * 1000 for q in ctx.captured_queries)]
                )
        for mesure in mesures:
            name, durations, queries, slowest = (
                mesure["name"],
                sorted(mesure["durations"]),
                mesure["queries"],
                mesure["slowest"],
            )
            results["pages"][name] = {
                "url": mesure["url"],
                "p50_ms": round(statistics.median(durations), 1),
                "p95_ms": round(durations[int(0.95 * (len(durations) - 1))], 1),
                "requetes": queries,
                "requete_max_ms": round(slowest, 1),
            }
            self.stdout.write(
                f"{name:24} p50 {results['pages'][name]['p50_ms']:7.1f} ms  p95 {results['pages'][name]['p95_ms']:7.1f} ms  {queries:3d} requêtes  max {slowest:6.1f} ms"
            )
        if sortie:
            with open(sortie, "w") as f:
                json.dump(results, f, indent=2, ensure_ascii=False)
