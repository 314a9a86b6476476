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
