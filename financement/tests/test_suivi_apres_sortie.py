import datetime

from accompagnement.models import SuiviPostSortie
from accompagnement.tests.factories import AccompagnementFactory
from financement import indicators
from menages.models import Menage
from menages.tests.factories import MenageFactory


def test_situations_after_exit_are_counted_by_milestone(programme):
    sorties = [
        AccompagnementFactory(
            menage=MenageFactory(dispositif=programme.dispositif, etat="clos"),
            date_debut=datetime.date(2025, 1, 1),
            date_fin_prevue=datetime.date(2025, 12, 31),
            date_fin=datetime.date(2025, 6, 30),
        )
        for _ in range(3)
    ]
    for acc, (mois, situation) in zip(
        sorties, [(6, "maintien"), (6, "maintien"), (12, "reloge")], strict=True
    ):
        SuiviPostSortie.objects.create(
            accompagnement=acc, echeance_mois=mois, date=datetime.date(2026, 1, 5), situation=situation
        )
    SuiviPostSortie.objects.create(
        accompagnement=sorties[0], echeance_mois=12, date=datetime.date(2027, 1, 5), situation="maintien"
    )
    periode = indicators.Periode(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    rows = {
        label: (n6, n12) for label, n6, n12 in indicators.suivi_apres_sortie(Menage.objects.all(), periode)
    }
    assert rows["Maintenu dans son logement"] == (2, 0)  # the 2027 one is outside the period
    assert rows["Relogé"] == (0, 1)
    assert rows["Sans logement"] == (0, 0)


def test_eviction_procedures_stopped_by_the_last_step_reached(programme):
    from logements.models import EtapeExpulsion

    def episode(etapes):
        menage = MenageFactory(dispositif=programme.dispositif, etat="accompagnement")
        AccompagnementFactory(
            menage=menage,
            date_debut=datetime.date(2026, 3, 1),
            date_fin_prevue=datetime.date(2027, 2, 28),
            date_fin=None,
        )
        for etape, date in etapes:
            EtapeExpulsion.objects.create(menage=menage, etape=etape, date=date)

    episode(
        [("saisine_ccapex", datetime.date(2025, 10, 1)), ("commandement_payer", datetime.date(2026, 1, 10))]
    )
    episode([("assignation", datetime.date(2026, 2, 1))])
    # Stopped? No: a judgment came after the support began.
    episode([("commandement_payer", datetime.date(2026, 1, 5)), ("jugement", datetime.date(2026, 6, 1))])
    episode([])  # no procedure at entry
    # Not stopped: the eviction was carried out before the support began.
    episode(
        [
            ("assignation", datetime.date(2025, 4, 1)),
            ("jugement", datetime.date(2025, 5, 1)),
            ("commandement_quitter", datetime.date(2025, 6, 1)),
            ("concours_force_publique", datetime.date(2025, 7, 1)),
            ("expulsion", datetime.date(2025, 7, 15)),
        ]
    )
    periode = indicators.Periode(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    from accompagnement.models import Accompagnement

    resultat = indicators.expulsions_stoppees(Accompagnement.objects.all(), periode)
    assert resultat["total"] == 2
    assert dict(resultat["par_etape"]) == {
        "Saisine de la CCAPEX": 0,
        "Commandement de payer": 1,
        "Assignation": 1,
        "Jugement": 0,
        "Commandement de quitter les lieux": 0,
        "Concours de la force publique": 0,
    }


def test_measures_obtained_by_the_households_followed(programme):
    from accompagnement.tests.factories import ObjectifFactory
    from logements.models import AideFsl, PlanApurement

    periode = indicators.Periode(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    menages = []
    for _ in range(3):
        menage = MenageFactory(
            dispositif=programme.dispositif, etat="accompagnement", problematique="maintien"
        )
        AccompagnementFactory(
            menage=menage, date_debut=datetime.date(2026, 2, 1), date_fin_prevue=datetime.date(2027, 1, 31)
        )
        menages.append(menage)
    PlanApurement.objects.create(
        menage=menages[0], date_debut=datetime.date(2026, 4, 1), montant_dette=1200, mensualite=50
    )
    AideFsl.objects.create(menage=menages[0], date_demande=datetime.date(2026, 3, 1), montant=800, decision="accordee",
                           date_decision=datetime.date(2026, 3, 20))  # fmt: skip
    AideFsl.objects.create(
        menage=menages[1], date_demande=datetime.date(2026, 3, 1), montant=800, decision="refusee"
    )
    ObjectifFactory(
        menage=menages[1], axe="administratif", statut="atteint", date_atteint=datetime.date(2026, 5, 4)
    )
    ObjectifFactory(menage=menages[2], axe="administratif", statut="en_cours")
    sortie = menages[2].accompagnements.get()
    sortie.date_fin, sortie.situation_sortie = datetime.date(2026, 10, 1), "reloge"
    sortie.save()
    from accompagnement.models import Accompagnement

    suivis = indicators.menages_suivis(Menage.objects.all(), Accompagnement.objects.all(), periode)
    assert indicators.mesures_obtenues(suivis, periode) == {
        "plan_apurement": 1, "fsl": 1, "droits_ouverts": 1, "relogement": 1,
    }  # fmt: skip
