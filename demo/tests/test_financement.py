from demo.financement import seed_financement
from financement.models import LigneBudgetaire, MontantAnnuel, PartFinanceur, Versement


def test_demo_funding_data_is_seeded_idempotently(programme):
    organisations = {
        k: getattr(programme, k) for k in ("adaff", "habitat", "alogea", "hdm", "afc", "ddcspp", "cg")
    }
    for _ in range(2):
        convention = seed_financement(dispositif=programme.dispositif, organisations=organisations)
    counts = [m.objects.count() for m in (PartFinanceur, LigneBudgetaire, MontantAnnuel, Versement)]
    assert counts == [4, 4, 12, 4]
    assert sum(p.pourcentage for p in convention.parts.all()) == 100
    assert convention.parts.get(financeur=programme.cg).statut == "a_confirmer"
