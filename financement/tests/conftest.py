"""A small, fixed data set whose indicators over the first half of 2026 are worked out by hand in
test_indicateurs.py (the golden figures)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accompagnement.models import Accompagnement, ChangementNiveau, Contact
from comites.models import Instance, PointOrdreDuJour, Seance
from financement.enums import StatutPart, TypeLigne
from financement.tests.factories import (
    ConventionFactory,
    LigneBudgetaireFactory,
    MontantAnnuelFactory,
    PartFinanceurFactory,
    VersementFactory,
)
from logements.models import Bail
from menages.models import Dette, EtapeDossierBdf
from menages.tests.factories import DiagnosticFactory, MembreFactory, MenageFactory

DEBUT = datetime.date(2026, 1, 1)
FIN = datetime.date(2026, 6, 30)
D = datetime.date


def moment(y, m, d, h=10):
    return timezone.make_aware(datetime.datetime(y, m, d, h, 0))


@pytest.fixture
def convention(programme):
    convention = ConventionFactory(dispositif=programme.dispositif)
    parts = {
        "ddcspp": PartFinanceurFactory(convention=convention, financeur=programme.ddcspp, pourcentage=50),
        "habitat": PartFinanceurFactory(
            convention=convention, financeur=programme.habitat, pourcentage=15, libelle="Bailleur"
        ),
        "alogea": PartFinanceurFactory(
            convention=convention, financeur=programme.alogea, pourcentage=15, libelle="Bailleur"
        ),
        "cg": PartFinanceurFactory(
            convention=convention,
            financeur=programme.cg,
            pourcentage=20,
            libelle="Conseil Général",
            statut=StatutPart.A_CONFIRMER,
        ),
    }
    adaff = LigneBudgetaireFactory(convention=convention, ordre=1)
    MontantAnnuelFactory(ligne=adaff, annee=2026, prevu=Decimal("48000"), realise=Decimal("20000"))
    MontantAnnuelFactory(ligne=adaff, annee=2027, prevu=Decimal("48000"))
    tisf = LigneBudgetaireFactory(
        convention=convention, type=TypeLigne.TISF, libelle="Interventions TISF (AFC)", ordre=2
    )
    MontantAnnuelFactory(ligne=tisf, annee=2026, prevu=Decimal("8000"), realise=Decimal("1500"))
    VersementFactory(part=parts["ddcspp"], date=D(2026, 3, 15), montant=Decimal("20000"))
    VersementFactory(part=parts["ddcspp"], date=D(2026, 8, 1), montant=Decimal("10000"))
    VersementFactory(part=parts["habitat"], date=D(2025, 12, 20), montant=Decimal("5000"))
    return convention


def _menage(programme, nom, problematique, source, bailleur, membres):
    menage = MenageFactory(
        dispositif=programme.dispositif,
        nom=nom,
        problematique=problematique,
        source_orientation=source,
        bailleur=getattr(programme, bailleur),
    )
    for lien in membres:
        MembreFactory(menage=menage, lien=lien)
    return menage


def _episode(menage, niveau, debut, fin=None, motif="", situation=""):
    return Accompagnement.objects.create(
        menage=menage,
        numero_parcours=1,
        niveau=niveau,
        date_debut=debut,
        date_fin_prevue=debut + datetime.timedelta(days=365),
        date_fin=fin,
        motif_sortie=motif,
        situation_sortie=situation,
    )


def _diagnostics(menage, auteur, entree, sortie):
    DiagnosticFactory(
        menage=menage,
        type="entree",
        auteur=auteur,
        score_logement=entree[0],
        score_budget=entree[1],
        score_droits=None,
        score_sante=None,
        score_vie_sociale=None,
        score_insertion=None,
    )
    DiagnosticFactory(
        menage=menage,
        type="sortie",
        auteur=auteur,
        score_logement=sortie[0],
        score_budget=sortie[1],
        score_droits=None,
        score_sante=None,
        score_vie_sociale=None,
        score_insertion=None,
    )


@pytest.fixture
def jeu(programme, convention):
    """Households A-G; the period is the first half of 2026."""
    p = programme
    ts = p.ts_adaff
    a = _menage(p, "Durand A", "acces", "siao", "habitat", ["chef", "enfant", "enfant"])
    b = _menage(p, "Martin B", "maintien", "ccapex", "alogea", ["chef"])
    c = _menage(
        p, "Garcia C", "maintien", "interne_bailleur", "habitat", ["chef", "conjoint", "enfant", "enfant"]
    )
    d = _menage(p, "Petit D", "acces", "siao", "alogea", ["chef", "conjoint"])
    e = _menage(p, "Roux E", "acces", "commission_dalo", "habitat", ["chef"])
    f = _menage(p, "Blanc F", "maintien", "siao", "habitat", ["chef"])
    g = _menage(p, "Faure G", "acces", "siao", "habitat", ["chef"])

    _episode(a, "niveau_2", D(2026, 1, 10), D(2026, 4, 10), "autonomie", "bail_direct")
    ep_b = _episode(b, "niveau_1", D(2025, 12, 1))
    ep_c = _episode(c, "niveau_3", D(2026, 2, 1), D(2026, 6, 15), "relais_droit_commun", "maintien")
    ep_d = _episode(d, "niveau_1", D(2026, 3, 1))
    _episode(e, "niveau_2", D(2026, 7, 15))
    _episode(f, "niveau_2", D(2025, 1, 1), D(2025, 12, 31), "autonomie", "maintien")
    _episode(g, "niveau_1", D(2026, 6, 20), D(2026, 6, 30), "refus_abandon", "heberge")

    def change(ep, ancien, nouveau, date, origine):
        ChangementNiveau.objects.create(
            accompagnement=ep,
            ancien_niveau=ancien,
            nouveau_niveau=nouveau,
            date_effet=date,
            date_decision=date,
            date_fin_prevue=date + datetime.timedelta(days=300),
            origine=origine,
            motif="Décision",
        )

    change(ep_c, "", "niveau_2", D(2026, 2, 1), "entree")
    change(ep_c, "niveau_2", "niveau_3", D(2026, 4, 1), "comite")  # the one level change
    change(ep_b, "niveau_1", "niveau_1", D(2026, 3, 1), "comite")  # a renewal: no change of level
    change(ep_d, "niveau_2", "niveau_1", D(2026, 3, 10), "administrateur")  # not a committee decision

    _diagnostics(a, ts, (1, 2), (3, 3))
    _diagnostics(c, ts, (2, 1), (2, 2))
    _diagnostics(g, ts, (2, 2), (1, 2))

    def contact(menage, quand, type_, minutes):
        Contact.objects.create(menage=menage, date=quand, type=type_, duree_minutes=minutes, auteur=ts)

    contact(b, moment(2026, 2, 10), "vad", 60)
    contact(b, moment(2026, 5, 10), "vad", 60)
    contact(b, moment(2026, 3, 5), "tisf", 120)
    contact(a, moment(2026, 1, 20), "entretien", 45)
    contact(d, moment(2026, 6, 30, 20), "telephone", 15)
    contact(b, moment(2025, 12, 15), "vad", 60)  # before the period
    contact(e, moment(2026, 7, 20), "vad", 60)  # after the period

    Dette.objects.create(menage=a, creancier="EDF", montant=Decimal("800"), etape_bdf="depot")
    Dette.objects.create(
        menage=c, creancier="Bailleur", montant=Decimal("2400"), etape_bdf="plan_conventionnel"
    )
    Dette.objects.create(menage=c, creancier="Opérateur", montant=Decimal("300"), etape_bdf="depot")
    Dette.objects.create(menage=e, creancier="Banque", montant=Decimal("5000"), etape_bdf="recevable")
    # Each step is dated (the day it was recorded): all in the period here.
    for menage, etape, jour in [
        (a, "depot", D(2026, 1, 1)),
        (c, "plan_conventionnel", D(2026, 6, 30)),
        (c, "depot", D(2026, 2, 15)),
        (e, "recevable", D(2026, 3, 1)),
    ]:
        EtapeDossierBdf.objects.filter(menage=menage, etape=etape).update(date=jour)
    # A (access) signed a direct lease during its episode: its access is achieved.
    Bail.objects.create(menage=a, type="direct", date_signature=D(2026, 3, 1))

    instance = Instance.objects.create(dispositif=p.dispositif, type="comite_suivi", nom="Comité de suivi")
    seance = Seance.objects.create(instance=instance, date=moment(2026, 3, 15, 14), statut="tenue")
    Seance.objects.create(instance=instance, date=moment(2026, 8, 15, 14))
    PointOrdreDuJour.objects.create(
        seance=seance,
        menage=c,
        type="changement_niveau",
        decision="changer_niveau",
        decide_le=moment(2026, 3, 15, 15),
    )
    PointOrdreDuJour.objects.create(
        seance=seance,
        menage=d,
        type="nouvelle_proposition",
        decision="valider",
        decide_le=moment(2026, 3, 15, 15),
    )
    PointOrdreDuJour.objects.create(seance=seance, menage=a, type="autre")
    return p
