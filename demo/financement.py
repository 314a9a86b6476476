"""Demo data of the funding app: the convention of the project sheet, its financing plan, budget
lines and a few payments. Idempotent: seed_demo may run again."""

import datetime
from decimal import Decimal

from financement.enums import StatutPart, TypeLigne
from financement.models import Convention, LigneBudgetaire, MontantAnnuel, PartFinanceur, Versement

# (key of the organisation, origin of the funds, %, status)
PARTS = [
    ("ddcspp", "Appel à projets « 10 000 logements HLM accompagnés » (FNAVDL)", "50", StatutPart.CONFIRMEE),
    ("habitat", "Fonds propres du bailleur", "15", StatutPart.CONFIRMEE),
    ("alogea", "Fonds propres du bailleur", "15", StatutPart.CONFIRMEE),
    ("cg", "Conseil Général de l’Aude (FSL)", "20", StatutPart.A_CONFIRMER),
]

# (type, label, key of the organisation carrying it, planned per year, actual in year 1)
LIGNES = [
    (TypeLigne.POSTE_ADAFF, "Travailleur social ADAFF (1 ETP)", "adaff", "48000", "40000"),
    (TypeLigne.TISF, "Interventions TISF à la carte (AFC)", "afc", "8000", "5200"),
    (TypeLigne.IML, "Intermédiation locative (HDM)", "hdm", "12000", "7500"),
    (TypeLigne.AUTRE, "Déplacements et fonctionnement", "adaff", "6000", "4100"),
]

# (key of the funder, date, amount, reference)
VERSEMENTS = [
    ("ddcspp", datetime.date(2026, 3, 15), "37000", "FNAVDL-2026-1"),
    ("ddcspp", datetime.date(2026, 9, 15), "18500", "FNAVDL-2026-2"),
    ("habitat", datetime.date(2026, 4, 1), "11100", "HA-2026"),
    ("alogea", datetime.date(2026, 4, 20), "11100", "ALO-2026"),
]


# The second programme of the demo (Pyrénées-Orientales), in the same shape.
PARTS_PO = [
    ("ddets66", "Appel à projets « 10 000 logements HLM accompagnés » (FNAVDL)", "60", StatutPart.CONFIRMEE),
    ("tramontane", "Fonds propres du bailleur", "25", StatutPart.CONFIRMEE),
    ("dep66", "Département des Pyrénées-Orientales (FSL)", "15", StatutPart.A_CONFIRMER),
]
LIGNES_PO = [
    (TypeLigne.POSTE_ADAFF, "Travailleuse sociale ARAF (0,8 ETP)", "araf", "38000", "26000"),
    (TypeLigne.TISF, "Interventions TISF (Familles Services Catalans)", "fsc", "5000", "1800"),
    (TypeLigne.IML, "Intermédiation locative (HDM)", "hdm", "8000", "2500"),
]
VERSEMENTS_PO = [
    ("ddets66", datetime.date(2026, 4, 15), "20400", "FNAVDL-66-2026-1"),
    ("tramontane", datetime.date(2026, 5, 1), "8500", "TH-2026"),
]


def seed_financement(
    *, dispositif, organisations, intitule=None, parts=PARTS, lignes=LIGNES, versements=VERSEMENTS
):
    convention, _ = Convention.objects.update_or_create(
        dispositif=dispositif,
        defaults={
            "intitule": intitule or "Convention ASEA Aude 2026-2028",
            "date_debut": dispositif.date_debut,
            "duree_mois": dispositif.duree_mois,
            "date_signature": dispositif.date_debut - datetime.timedelta(days=20),
        },
    )
    par_cle = {}
    for key, libelle, pourcentage, statut in parts:
        par_cle[key], _ = PartFinanceur.objects.update_or_create(
            convention=convention,
            financeur=organisations[key],
            defaults={"libelle": libelle, "pourcentage": Decimal(pourcentage), "statut": statut},
        )
    annees = range(convention.date_debut.year, convention.date_fin.year + 1)
    for ordre, (type_, libelle, porteur, prevu, realise) in enumerate(lignes, start=1):
        ligne, _ = LigneBudgetaire.objects.update_or_create(
            convention=convention,
            type=type_,
            defaults={"libelle": libelle, "porteur": organisations[porteur], "ordre": ordre},
        )
        for annee in annees:
            MontantAnnuel.objects.update_or_create(
                ligne=ligne,
                annee=annee,
                defaults={
                    "prevu": Decimal(prevu),
                    "realise": Decimal(realise) if annee == convention.date_debut.year else Decimal("0"),
                },
            )
    for key, date, montant, reference in versements:
        Versement.objects.update_or_create(
            part=par_cle[key], reference=reference, defaults={"date": date, "montant": Decimal(montant)}
        )
    return convention
