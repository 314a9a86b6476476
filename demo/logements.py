"""Fictitious dwellings of the demo's landlords (called by seed_demo, idempotent)."""

import datetime
from decimal import Decimal

from logements import services
from logements.enums import (
    EtapeProcedure,
    EtiquetteEnergetique,
    ModeMobilisation,
    StatutLogement,
    TypeReclamation,
    Typologie,
)
from logements.models import Logement

RUES = [
    "rue des Lavandières",
    "avenue du Général-Leclerc",
    "rue Voltaire",
    "boulevard de la Liberté",
    "rue des Écoles",
    "impasse des Mimosas",
    "rue Jean-Jaurès",
    "allée des Platanes",
    "rue du Moulin",
    "place de la République",
]
COMMUNES = ["Carcassonne", "Narbonne", "Limoux", "Castelnaudary", "Lézignan-Corbières", "Quillan"]
TYPOLOGIES = [Typologie.T1, Typologie.T2, Typologie.T3, Typologie.T3, Typologie.T4, Typologie.T5]
STATUTS = [StatutLogement.OCCUPE, StatutLogement.OCCUPE, StatutLogement.VACANT, StatutLogement.EN_ROTATION]
PAR_BAILLEUR = 20

# (landlord key, number of the dwelling, way of mobilisation)
MOBILISATIONS = [
    ("habitat", 2, ModeMobilisation.SANS_AMENAGEMENT),
    ("habitat", 6, ModeMobilisation.AMENAGEMENT),
    ("alogea", 3, ModeMobilisation.RECLASSEMENT_BAS_LOYER),
]


def reference(prefix, number):
    return f"{prefix}-{number:04d}"


# (landlord key, prefix of its references, shift of the addresses)
BAILLEURS = (("habitat", "HA", 0), ("alogea", "AL", 3))

# The second programme of the demo: a smaller stock of its one landlord.
BAILLEURS_PO = (("tramontane", "TH", 1),)
COMMUNES_PO = ["Perpignan", "Prades", "Céret", "Rivesaltes"]
PAR_BAILLEUR_PO = 8
MOBILISATIONS_PO = [("tramontane", 2, ModeMobilisation.SANS_AMENAGEMENT)]


def seed_logements(
    *,
    dispositif,
    organisations,
    communes,
    bailleurs=BAILLEURS,
    par_bailleur=PAR_BAILLEUR,
    noms_communes=COMMUNES,
    mobilisations=MOBILISATIONS,
):
    for key, prefix, decalage in bailleurs:
        bailleur = organisations[key]
        for n in range(1, par_bailleur + 1):
            typologie = TYPOLOGIES[n % len(TYPOLOGIES)]
            pieces = int(typologie.value[1])
            etage = n % 5
            Logement.objects.update_or_create(
                bailleur=bailleur,
                reference_bailleur=reference(prefix, n),
                defaults={
                    "adresse": f"{n * 3 + decalage + 1} {RUES[(n + decalage) % len(RUES)]}",
                    "commune": communes[noms_communes[(n + decalage) % len(noms_communes)]],
                    "typologie": typologie,
                    "surface": Decimal(22 + 17 * pieces) + Decimal(n % 4) / 2,
                    "loyer": Decimal(180 + 70 * pieces + 5 * n) + Decimal("0.50"),
                    "charges": Decimal(35 + 12 * pieces),
                    "etage": etage,
                    "ascenseur": etage >= 3,
                    "accessible_pmr": etage == 0 or n % 7 == 0,
                    "etiquette_energetique": list(EtiquetteEnergetique)[n % 7],
                    "statut": STATUTS[n % len(STATUTS)],
                    "contingent_prefectoral": n % 9 == 0,
                },
            )
    prefixes = {key: prefix for key, prefix, _decalage in bailleurs}
    for key, n, mode in mobilisations:
        prefix = prefixes[key]
        logement = Logement.objects.get(bailleur=organisations[key], reference_bailleur=reference(prefix, n))
        if not logement.mobilisations.filter(dispositif=dispositif).exists():
            services.mobiliser_logement(
                logement=logement,
                dispositif=dispositif,
                mode=mode,
                date_mobilisation=datetime.date(2026, 3, n),
            )


def seed_dossiers_locatifs(*, dispositif):
    """Arrears, complaints and an eviction procedure for a few tenants in the maintien path, so
    that the CESF's tenant files and dashboard are not empty in the demo (idempotent)."""
    import datetime
    from decimal import Decimal

    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from logements.models import EtapeExpulsion, Reclamation, SoldeLocatif
    from menages.enums import Problematique
    from menages.models import Menage

    locataires = Menage.objects.filter(dispositif=dispositif, problematique=Problematique.MAINTIEN).order_by(
        "reference"
    )[:6]
    premier = timezone.localdate().replace(day=1)
    for n, menage in enumerate(locataires):
        if menage.soldes_locatifs.exists():
            continue
        for k in range(6):
            mois = premier - relativedelta(months=5 - k)
            solde = Decimal(300 + 150 * k) if n % 2 == 0 else Decimal(max(0, 900 - 150 * k))
            # The rent called each month (fictitious): the arrears threshold is computed from it.
            SoldeLocatif.objects.create(
                menage=menage, mois=mois, solde=solde, loyer_charges=Decimal(410 + 20 * n)
            )
        Reclamation.objects.create(
            menage=menage,
            type=[TypeReclamation.TROUBLES_VOISINAGE, TypeReclamation.IMPAYES, TypeReclamation.TECHNIQUE][
                n % 3
            ],
            date=premier - datetime.timedelta(days=20 + n),
            description="Signalement reçu à l’agence ; à voir avec le ménage lors de la prochaine visite.",
        )
        if n == 0:
            EtapeExpulsion.objects.create(
                menage=menage, etape=EtapeProcedure.SAISINE_CCAPEX, date=premier - relativedelta(months=8)
            )
            EtapeExpulsion.objects.create(
                menage=menage, etape=EtapeProcedure.COMMANDEMENT_PAYER, date=premier - relativedelta(months=7)
            )
