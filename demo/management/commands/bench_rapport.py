"""Benchmark of a full-year funder report on a large programme.

Creates (once) a "bench" programme with N households, their members, episodes, level changes,
diagnostics and contacts, then times the indicators and the PDF of a full-year report and reports
the peak memory. Run it against a scratch database, never production:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asea_bench \\
    DJANGO_SETTINGS_MODULE=config.settings.dev python manage.py migrate
    DATABASE_URL=... DJANGO_SETTINGS_MODULE=config.settings.dev python manage.py bench_rapport
"""

import datetime
import random
import resource
import time
import tracemalloc
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accompagnement.enums import OrigineChangementNiveau, SituationSortie, TypeContact
from accompagnement.models import Accompagnement, ChangementNiveau, Contact
from comptes.enums import CodeNiveau, TypeOrganisation
from comptes.models import Dispositif, Organisation, Utilisateur
from financement import documents, indicators
from financement.enums import TypeLigne
from financement.models import Convention, LigneBudgetaire, MontantAnnuel, PartFinanceur, RapportFinanceur
from menages.enums import (
    EtatParcours,
    LienMembre,
    MotifSortie,
    Problematique,
    SituationLogement,
    SourceOrientation,
    TypeDiagnostic,
)
from menages.models import Diagnostic, Membre, Menage, Saisine
from menages.search import normalize

CODE = "bench-financement"
NIVEAUX = list(CodeNiveau)
SITUATIONS = [
    SituationSortie.MAINTIEN,
    SituationSortie.RELOGE,
    SituationSortie.BAIL_DIRECT,
    SituationSortie.IML,
    SituationSortie.HEBERGE,
    SituationSortie.SANS_LOGEMENT,
]


class Command(BaseCommand):
    help = "Times a full-year funder report over N households (scratch database only)."

    def add_arguments(self, parser):
        parser.add_argument("--menages", type=int, default=10_000)
        parser.add_argument("--contacts", type=int, default=10, help="contacts per household")
        parser.add_argument("--annee", type=int, default=2026)
        parser.add_argument(
            "--force", action="store_true", help="run even if the database name does not say scratch/bench"
        )
        parser.add_argument("--pdf", help="also write the report's PDF to this path, to look at its pages")

    def handle(self, *args, menages, contacts, annee, force, pdf=None, **options):
        chemin_pdf = pdf
        nom = str(connection.settings_dict["NAME"])
        if not force and not any(mot in nom for mot in ("bench", "scratch", "test")):
            raise CommandError(f"La base « {nom} » ne semble pas être une base de test : utilisez --force.")
        dispositif = self._jeu(menages, contacts, annee)
        debut, fin = datetime.date(annee, 1, 1), datetime.date(annee, 12, 31)
        financeur = PartFinanceur.objects.filter(convention__dispositif=dispositif).first().financeur
        rapport, _ = RapportFinanceur.objects.get_or_create(
            dispositif=dispositif, financeur=financeur, date_debut=debut, date_fin=fin
        )

        connection.queries_log.clear()
        t0 = time.perf_counter()
        resultat = indicators.calculer(dispositif, debut, fin)
        t1 = time.perf_counter()
        pdf = documents.rapport_pdf(rapport)
        t2 = time.perf_counter()
        rss_mo = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if chemin_pdf:
            with open(chemin_pdf, "wb") as sortie:
                sortie.write(pdf)

        tracemalloc.start()
        documents.rapport_pdf(rapport)
        _courant, pic = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        e = resultat["effectifs"]
        nb_menages = Menage.objects.filter(dispositif=dispositif).count()
        nb_contacts = Contact.objects.filter(menage__dispositif=dispositif).count()
        self.stdout.write(
            f"Base : {connection.vendor} {nom} – {nb_menages} ménages, {nb_contacts} contacts\n"
            f"Période {debut:%d/%m/%Y}-{fin:%d/%m/%Y} : {e['suivis']} suivis, {e['entrees']} entrées, "
            f"{e['sorties']} sorties\n"
            f"Indicateurs seuls : {t1 - t0:.2f} s\n"
            f"Rapport complet (indicateurs, graphiques, PDF de {len(pdf) // 1024} Ko) : {t2 - t1:.2f} s\n"
            f"Mémoire : pic Python (tracemalloc) {pic / 1024 / 1024:.0f} Mo, "
            f"RSS maximale du processus {rss_mo:.0f} Mo"
        )

    @transaction.atomic
    def _jeu(self, n_menages, n_contacts, annee):
        dispositif, _ = Dispositif.objects.get_or_create(
            code=CODE,
            defaults={
                "nom": "Banc d’essai",
                "territoire": "Aude",
                "date_debut": datetime.date(annee - 1, 1, 1),
            },
        )
        existants = Menage.objects.filter(dispositif=dispositif).count()
        if existants >= n_menages:
            return dispositif
        self.stdout.write(f"Création de {n_menages - existants} ménages…")
        rng = random.Random(7)  # noqa: S311  (test data, not security)
        bailleurs = [
            Organisation.objects.get_or_create(
                nom=f"Bailleur essai {i}", defaults={"type": TypeOrganisation.BAILLEUR}
            )[0]
            for i in (1, 2)
        ]
        financeur, _ = Organisation.objects.get_or_create(
            nom="Financeur essai", defaults={"type": TypeOrganisation.FINANCEUR}
        )
        auteur, _ = Utilisateur.objects.get_or_create(username="bench.financement")
        convention, _ = Convention.objects.get_or_create(
            dispositif=dispositif,
            defaults={"intitule": "Convention d’essai", "date_debut": dispositif.date_debut},
        )
        PartFinanceur.objects.get_or_create(
            convention=convention,
            financeur=financeur,
            defaults={"libelle": "Essai", "pourcentage": Decimal("50")},
        )
        ligne, _ = LigneBudgetaire.objects.get_or_create(
            convention=convention, type=TypeLigne.POSTE_ADAFF, defaults={"libelle": "Poste"}
        )
        MontantAnnuel.objects.get_or_create(ligne=ligne, annee=annee, defaults={"prevu": Decimal("48000")})

        premier = datetime.date(annee - 1, 1, 1)
        menages = [
            Menage(
                dispositif=dispositif,
                reference=f"BENCH-{i:06d}",
                nom=f"Essai {i}",
                nom_recherche=normalize(f"Essai {i}"),
                bailleur=bailleurs[i % 2],
                source_orientation=rng.choice(SourceOrientation.values),
                problematique=rng.choice(Problematique.values),
                situation_logement=rng.choice(SituationLogement.values),
                etat=EtatParcours.ACCOMPAGNEMENT,
            )
            for i in range(existants, n_menages)
        ]
        Menage.objects.bulk_create(menages, batch_size=2000)
        Saisine.objects.bulk_create([Saisine.du_parcours_actuel(m) for m in menages], batch_size=2000)
        membres, episodes = [], []
        for menage in menages:
            for k in range(rng.randint(1, 5)):
                membres.append(
                    Membre(
                        menage=menage,
                        nom="Essai",
                        prenom=f"P{k}",
                        lien=LienMembre.CHEF if k == 0 else LienMembre.ENFANT,
                    )
                )
            debut = premier + datetime.timedelta(days=rng.randint(0, 700))
            fin = debut + datetime.timedelta(days=rng.randint(30, 400)) if rng.random() < 0.5 else None
            episodes.append(
                Accompagnement(
                    menage=menage,
                    numero_parcours=1,
                    niveau=rng.choice(NIVEAUX),
                    date_debut=debut,
                    date_fin_prevue=debut + datetime.timedelta(days=365),
                    date_fin=fin,
                    motif_sortie=rng.choice(MotifSortie.values) if fin else "",
                    situation_sortie=rng.choice(SITUATIONS) if fin else "",
                )
            )
        Membre.objects.bulk_create(membres, batch_size=5000)
        Menage.objects.filter(reference__startswith="BENCH-", texte_recherche="").rafraichir_recherche()
        Accompagnement.objects.bulk_create(episodes, batch_size=2000)
        changements, diagnostics, contacts = [], [], []
        for ep in episodes:
            changements.append(
                ChangementNiveau(
                    accompagnement=ep,
                    nouveau_niveau=ep.niveau,
                    date_effet=ep.date_debut,
                    date_decision=ep.date_debut,
                    date_fin_prevue=ep.date_fin_prevue,
                    origine=OrigineChangementNiveau.ENTREE,
                    motif="Entrée",
                )
            )
            if rng.random() < 0.3:
                changements.append(
                    ChangementNiveau(
                        accompagnement=ep,
                        ancien_niveau=CodeNiveau.NIVEAU_2,
                        nouveau_niveau=ep.niveau,
                        date_effet=ep.date_debut + datetime.timedelta(days=20),
                        date_decision=ep.date_debut + datetime.timedelta(days=20),
                        date_fin_prevue=ep.date_fin_prevue,
                        origine=OrigineChangementNiveau.COMITE,
                        motif="Comité",
                    )
                )
            for type_ in (
                (TypeDiagnostic.ENTREE, TypeDiagnostic.SORTIE) if ep.date_fin else (TypeDiagnostic.ENTREE,)
            ):
                diagnostics.append(
                    Diagnostic(
                        menage=ep.menage,
                        numero_parcours=1,
                        type=type_,
                        auteur=auteur,
                        date=ep.date_debut,
                        **{
                            f"score_{d}": rng.randint(1, 4)
                            for d in ("logement", "budget", "droits", "sante", "vie_sociale", "insertion")
                        },
                    )
                )
            for _ in range(n_contacts):
                jour = ep.date_debut + datetime.timedelta(days=rng.randint(0, 300))
                contacts.append(
                    Contact(
                        menage=ep.menage,
                        type=rng.choice(
                            [TypeContact.VAD, TypeContact.ENTRETIEN, TypeContact.TELEPHONE, TypeContact.TISF]
                        ),
                        date=timezone.make_aware(datetime.datetime.combine(jour, datetime.time(10))),
                        duree_minutes=rng.choice([15, 30, 60, 90, 120]),
                        auteur=auteur,
                    )
                )
        ChangementNiveau.objects.bulk_create(changements, batch_size=5000)
        Diagnostic.objects.bulk_create(diagnostics, batch_size=5000)
        Contact.objects.bulk_create(contacts, batch_size=5000)
        return dispositif
