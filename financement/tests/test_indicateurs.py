"""Golden figures: the data set of conftest.py, worked out by hand for January-June 2026."""

import datetime
from decimal import Decimal

from accompagnement.models import Accompagnement, Contact
from comites.models import Instance, Seance
from comptes.models import NiveauAccompagnement
from comptes.tests.niveaux import NIVEAUX
from financement import indicators
from financement.tests.conftest import DEBUT, FIN, moment
from menages.tests.factories import MembreFactory, MenageFactory


def test_headcounts_follow_the_definitions(jeu):
    i = indicators.calculer(jeu.dispositif, DEBUT, FIN)
    # Followed: A, B (open since 2025), C, D, G; not E (starts in July) nor F (ended in 2025).
    assert i["effectifs"] == {"suivis": 5, "entrees": 4, "sorties": 3}
    assert dict(i["par_source"]) == {
        "Saisine interne du bailleur": 1,
        "Commission technique DALO": 0,
        "SIAO": 3,
        "CCAPEX": 1,
        "Travailleur social du territoire": 0,
    }
    assert dict(i["par_problematique"]) == {"Accès au logement": 3, "Maintien dans le logement": 2}
    assert dict(i["par_bailleur"]) == {"ALOGEA": 2, "Habitat Audois": 3}
    assert i["composition"] == [
        ("1 personne", 2, 0),
        ("2 personnes", 1, 0),
        ("3 personnes", 1, 1),
        ("4 personnes", 1, 1),
        ("5 personnes et plus", 0, 0),
    ]


def test_levels_durations_and_level_changes(jeu):
    for niveau in NIVEAUX:
        NiveauAccompagnement.objects.create(dispositif=jeu.dispositif, **niveau)
    i = indicators.calculer(jeu.dispositif, DEBUT, FIN)
    niveaux = {
        row["code"]: (row["n"], row["jours_total"], row["jours_moyen"], row["jours_max"])
        for row in i["par_niveau"]
    }
    # Days in each level, from the day it began (its change's effective date) to the day it ended
    # or the period's end. Level 1: B 01/12/2025-30/06, 211 days (its renewal at the same level on
    # 01/03 adds up); D 10/03-30/06, 112 days (an administrator moved it from level 2 on 10/03);
    # G 20/06-30/06, 10 days.
    assert niveaux["niveau_1"] == (3, 333, 111, 211)
    # Level 2: A 10/01-10/04, 90 days; C 01/02-01/04, 59 days (then level 3 by the committee);
    # D 01/03-10/03, 9 days (before the correction).
    assert niveaux["niveau_2"] == (3, 158, 53, 90)
    # Level 3: C 01/04-15/06, 75 days.
    assert niveaux["niveau_3"] == (1, 75, 75, 75)
    assert niveaux["relais_sortant"] == (0, 0, None, None)
    # Against the programme's maximum durations: level 1 lasts at most 3 months (91 days), which
    # B (211 days, 120 over) and D (112 days, 21 over) went beyond; level 3's duration is set by
    # the committee.
    depassements = {
        row["code"]: (row["duree_max_mois"], row["depassements"], row["jours_au_dela"])
        for row in i["par_niveau"]
    }
    assert depassements == {
        "niveau_1": (3, 2, 141),
        "niveau_2": (12, 0, 0),
        "niveau_3": (None, None, None),
        "relais_sortant": (None, None, None),
    }
    # Only C's committee change counts: not B's renewal at the same level, not D's admin correction.
    assert i["changements_niveau"] == [
        ("Niveau 2 – Accompagnement global adapté", "Niveau 3 – Accompagnement global renforcé", 1)
    ]
    # D's administrator correction is shown apart.
    assert i["corrections_niveau"] == [
        ("Niveau 2 – Accompagnement global adapté", "Niveau 1 – Accompagnement vers le droit commun", 1)
    ]


def test_exits_outcomes_and_progress(jeu):
    i = indicators.calculer(jeu.dispositif, DEBUT, FIN)
    motifs = {label: n for label, n in i["motifs_sortie"] if n}
    assert motifs == {"Autonomie": 1, "Relais vers le droit commun": 1, "Refus ou abandon du ménage": 1}
    situations = {label: n for label, n in i["situations_sortie"] if n}
    assert situations == {
        "Locataire en titre (bail signé)": 1,
        "Maintenu dans son logement": 1,
        "Hébergé (tiers ou structure)": 1,
    }
    assert i["resultats"] == {"acces": 2, "acces_reussi": 1, "maintien": 1, "maintien_reussi": 1}
    assert i["expulsions_stoppees"]["total"] == 0
    progression = {
        row["domaine"]: (row["n"], row["entree"], row["sortie"], row["progression"])
        for row in i["progression"]
    }
    # Logement: A 1->3, C 2->2, G 2->1. Budget: A 2->3, C 1->2, G 2->2.
    assert progression["Logement"] == (3, 1.67, 2.0, 0.33)
    assert progression["Budget"] == (3, 1.67, 2.33, 0.67)
    assert progression["Santé"] == (0, None, None, None)
    assert dict(i["dossiers_bdf"])["Dossier déposé"] == 2
    assert dict(i["dossiers_bdf"])["Plan conventionnel"] == 1
    assert dict(i["dossiers_bdf"])["Dossier recevable"] == 0  # E is not followed


def test_activity_committee_budget_and_targets(jeu):
    i = indicators.calculer(jeu.dispositif, DEBUT, FIN)
    # Time spent: the social workers' 4 contacts (60 + 60 + 45 + 15 minutes); the TISF's
    # intervention (120 minutes) is a separate figure, not added in.
    assert i["contacts"]["nombre"] == 4
    assert i["contacts"]["minutes"] == 180
    assert (i["contacts"]["interventions_tisf"], i["contacts"]["minutes_tisf"]) == (1, 120)
    assert i["comite"]["seances"] == 1
    assert i["comite"]["total_decisions"] == 2
    b = i["budget"]
    assert (b["prevu"], b["realise"], b["taux"]) == (Decimal("56000"), Decimal("21500"), Decimal("38.4"))
    assert b["total_convention"] == Decimal("104000")
    parts = {
        part["financeur"]: (part["attendu"], part["verse_periode"], part["verse_total"])
        for part in b["parts"]
    }
    assert parts["DDCSPP de l’Aude"] == (Decimal("52000.00"), Decimal("20000"), Decimal("20000"))
    assert parts["Habitat Audois"] == (Decimal("15600.00"), Decimal("0"), Decimal("5000"))
    o = i["objectifs"]
    # Entered since the start, by the end of June: A, B, C, D, F, G.
    assert o["total"] == 6
    assert dict(o["par_bailleur"]) == {"ALOGEA": 2, "Habitat Audois": 4}
    assert o["par_an"] == [(2025, 2), (2026, 4)]
    assert o["attendu_a_date"] == 8  # 50 households x 181 days / 1,096 days of convention


def test_sessions_held_counts_neither_planned_nor_not_held_nor_cancelled_sessions(jeu):
    instance = Instance.objects.get(dispositif=jeu.dispositif)
    for jour, statut in ((5, "planifiee"), (12, "non_tenue"), (19, "annulee"), (26, "convoquee")):
        Seance.objects.create(instance=instance, date=moment(2026, 5, jour, 14), statut=statut)
    Seance.objects.create(instance=instance, date=moment(2026, 5, 28, 14), statut="tenue", urgente=True)
    assert indicators.activite_comite(jeu.dispositif, indicators.Periode(DEBUT, FIN))["seances"] == 1
    Seance.objects.create(instance=instance, date=moment(2026, 6, 2, 14), statut="tenue")
    assert indicators.activite_comite(jeu.dispositif, indicators.Periode(DEBUT, FIN))["seances"] == 2


def test_indicators_take_the_same_number_of_queries_with_many_households(jeu, count_queries):
    def run():
        indicators.calculer(jeu.dispositif, DEBUT, FIN)

    peu = count_queries(run)
    for n in range(30):
        menage = MenageFactory(dispositif=jeu.dispositif, bailleur=jeu.habitat)
        MembreFactory(menage=menage)
        Accompagnement.objects.create(
            menage=menage,
            numero_parcours=1,
            niveau="niveau_2",
            date_debut=datetime.date(2026, 2, 1) + datetime.timedelta(days=n),
            date_fin_prevue=datetime.date(2026, 12, 31),
        )
        Contact.objects.create(menage=menage, date=moment(2026, 3, 1), auteur=jeu.ts_adaff)
    assert count_queries(run) == peu
    assert peu <= 30
