"""Golden figures of DOMAINE's "Indicator definitions", read from dated facts, for 2025.

A prepared programme sits on the boundaries of the definitions: events on the first and last day
of the period and the day outside, a household that re-entered with a different referral, a second
lease, members arriving and leaving, a level renewed, zero-count cells. Every figure is written by
hand next to the reason for it. Then the figures of a past period must not move when a member
leaves, a household re-enters, a new lease is signed or retention anonymises the file.
"""

import csv
import datetime
import html
import io
import re
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import Accompagnement, ChangementNiveau, Contact
from accompagnement.tests.factories import ObjectifFactory
from comites.models import Instance, PointOrdreDuJour, Seance
from comptes.models import Dispositif, NiveauAccompagnement
from comptes.tests.niveaux import NIVEAUX
from financement import documents, exports, indicators
from financement.models import RapportFinanceur
from financement.secret_statistique import masquer_indicateurs
from logements import services as logements_services
from logements.models import AideFsl, Attribution, Bail, PlanApurement
from logements.tests.factories import LogementFactory, MobilisationLogementFactory
from menages import retention
from menages import services as menages_services
from menages.models import Dette, EtapeDossierBdf, Menage
from menages.tests.factories import MembreFactory, MenageFactory

D = datetime.date
DEBUT, FIN = D(2025, 1, 1), D(2025, 12, 31)
N1 = "Niveau 1 – Accompagnement vers le droit commun"
N2 = "Niveau 2 – Accompagnement global adapté"
N3 = "Niveau 3 – Accompagnement global renforcé"


def moment(y, m, d, h=10, minute=0):
    return timezone.make_aware(datetime.datetime(y, m, d, h, minute))


def _episode(menage, niveau, debut, fin=None, parcours=1, situation=""):
    return Accompagnement.objects.create(
        menage=menage,
        numero_parcours=parcours,
        niveau=niveau,
        date_debut=debut,
        date_fin_prevue=debut + datetime.timedelta(days=365),
        date_fin=fin,
        motif_sortie="autonomie" if fin else "",
        situation_sortie=situation,
    )


def _changement(episode, ancien, nouveau, effet, decision, origine):
    ChangementNiveau.objects.create(
        accompagnement=episode,
        ancien_niveau=ancien,
        nouveau_niveau=nouveau,
        date_effet=effet,
        date_decision=decision,
        date_fin_prevue=effet + datetime.timedelta(days=300),
        origine=origine,
        motif="Décision",
    )


def _entree(episode):
    _changement(episode, "", episode.niveau, episode.date_debut, episode.date_debut, "entree")


def _bdf(menage, etape, jour):
    dette = Dette.objects.create(menage=menage, creancier="Banque", montant=Decimal("1000"), etape_bdf=etape)
    EtapeDossierBdf.objects.filter(dette=dette).update(date=jour)


@pytest.fixture
def programme_2025(programme):
    """Households A, B, C, D, G followed in 2025; E and F just outside."""
    p = programme
    # The programme runs from 2024 to 2028, so that 2024 and 2025 are periods a funder may ask for.
    Dispositif.objects.filter(pk=p.dispositif.pk).update(date_debut=D(2024, 1, 1), duree_mois=60)
    p.dispositif.refresh_from_db()
    for niveau in NIVEAUX:
        NiveauAccompagnement.objects.create(dispositif=p.dispositif, **niveau)

    def menage(nom, problematique, source, bailleur, **kwargs):
        return MenageFactory(
            dispositif=p.dispositif,
            nom=nom,
            problematique=problematique,
            source_orientation=source,
            bailleur=getattr(p, bailleur),
            **kwargs,
        )

    # A re-entered: path 1 referred by the SIAO for access (Habitat), its episode closed on the
    # period's first day after a lease signed the day before; path 2 referred by the CCAPEX for
    # maintien (ALOGEA) in June 2025. A baby was born in March 2025.
    a = menage("Arnaud A", "acces", "siao", "habitat", date_saisine=D(2024, 2, 1), etat="clos")
    a1 = _episode(a, "niveau_2", D(2024, 3, 1), D(2025, 1, 1), situation="bail_direct")
    _entree(a1)
    Bail.objects.create(menage=a, type="direct", date_signature=D(2024, 12, 31))
    menages_services.changer_etat(menage=a, vers="saisine", auteur=p.ts_adaff, motif="Nouvelle saisine")
    a.refresh_from_db()
    menages_services.modifier_menage(
        menage=a,
        source_orientation="ccapex",
        problematique="maintien",
        bailleur=p.alogea,
        date_saisine=D(2025, 6, 1),
    )
    a2 = _episode(a, "niveau_1", D(2025, 7, 1), parcours=2)
    _entree(a2)
    Menage.objects.filter(pk=a.pk).update(etat="accompagnement")
    MembreFactory(menage=a, lien="chef", date_naissance=D(1980, 5, 5))
    MembreFactory(menage=a, lien="enfant", date_naissance=D(2025, 3, 10))

    # B: access (DALO, Habitat), an episode from February to the period's last day, an IML lease
    # signed on that last day through its attribution. The spouse left in June; one child turns 18
    # on the last day, the other on the day after.
    b = menage("Bernard B", "acces", "commission_dalo", "habitat", date_saisine=D(2024, 12, 15))
    b1 = _episode(b, "niveau_2", D(2025, 2, 1), D(2025, 12, 31), situation="iml")
    _entree(b1)
    logements_services.enregistrer_attribution(
        attribution=Attribution(menage=b, logement=LogementFactory(bailleur=p.habitat), canal="rotation"),
        auteur=p.cesf_habitat,
        iml=True,
        decision_cal="acceptee",
        date_bail=D(2025, 12, 31),
    )
    MembreFactory(menage=b, lien="chef", date_naissance=D(1985, 1, 1))
    MembreFactory(menage=b, lien="conjoint", date_naissance=D(1986, 1, 1), date_sortie=D(2025, 6, 30))
    MembreFactory(menage=b, lien="enfant", date_naissance=D(2007, 12, 31))
    MembreFactory(menage=b, lien="enfant", date_naissance=D(2008, 1, 1))
    _bdf(b, "depot", D(2024, 11, 1))  # before the period
    _bdf(b, "recevable", D(2025, 1, 1))  # first day

    # C: maintien (SIAO, ALOGEA), level 1 since November 2024, renewed at level 1 (decided
    # 15/01, from 01/02), then level 2 (decided at the session of 20/04, from 01/05). The spouse
    # arrived in March 2025.
    c = menage("Colin C", "maintien", "siao", "alogea", date_saisine=D(2024, 10, 1))
    c1 = _episode(c, "niveau_1", D(2024, 11, 1))
    _changement(c1, "", "niveau_1", D(2024, 11, 1), D(2024, 10, 20), "entree")
    _changement(c1, "niveau_1", "niveau_1", D(2025, 2, 1), D(2025, 1, 15), "comite")
    _changement(c1, "niveau_1", "niveau_2", D(2025, 5, 1), D(2025, 4, 20), "comite")
    MembreFactory(menage=c, lien="chef", date_naissance=D(1970, 1, 1))
    MembreFactory(menage=c, lien="conjoint", date_naissance=D(1972, 1, 1), date_entree=D(2025, 3, 1))

    # D: maintien (landlord's own referral, Habitat), level 2 since June 2024; level 3 decided
    # at the session of 18/12/2024, from 01/01/2025; an administrator put it back to level 2 from
    # 01/12 on 31/12; the next committee decision is on 01/01/2026.
    d = menage("Dupont D", "maintien", "interne_bailleur", "habitat", date_saisine=D(2024, 5, 1))
    d1 = _episode(d, "niveau_2", D(2024, 6, 1))
    _entree(d1)
    _changement(d1, "niveau_2", "niveau_3", D(2025, 1, 1), D(2024, 12, 18), "comite")
    _changement(d1, "niveau_3", "niveau_2", D(2025, 12, 1), D(2025, 12, 31), "administrateur")
    _changement(d1, "niveau_2", "relais_sortant", D(2026, 1, 15), D(2026, 1, 1), "comite")
    MembreFactory(menage=d, lien="chef", date_naissance=D(1960, 1, 1))

    # G: access (SIAO, ALOGEA), March to 30/09; one lease the day before its start, one the day
    # after its exit. A couple with a child; the spouse left after the exit.
    g = menage("Girard G", "acces", "siao", "alogea", date_saisine=D(2025, 1, 10), etat="clos")
    g1 = _episode(g, "niveau_1", D(2025, 3, 1), D(2025, 9, 30), situation="heberge")
    _entree(g1)
    Bail.objects.create(menage=g, type="direct", date_signature=D(2025, 2, 28))
    Bail.objects.create(menage=g, type="direct", date_signature=D(2025, 10, 1))
    MembreFactory(menage=g, lien="chef", date_naissance=D(1990, 1, 1))
    MembreFactory(menage=g, lien="conjoint", date_naissance=D(1991, 1, 1), date_sortie=D(2025, 10, 15))
    MembreFactory(menage=g, lien="enfant", date_naissance=D(2015, 6, 1))
    _bdf(g, "depot", D(2025, 12, 31))  # last day
    _bdf(g, "plan_conventionnel", D(2026, 1, 1))  # the day after

    # E starts the day after the period, F ended the day before: neither is followed.
    e = menage("Etienne E", "acces", "siao", "habitat")
    _entree(_episode(e, "niveau_1", D(2026, 1, 1)))
    f = menage("Fabre F", "acces", "siao", "habitat")
    _entree(_episode(f, "niveau_1", D(2024, 6, 1), D(2024, 12, 31), situation="bail_direct"))

    # Rights opened, FSL aid and repayment plans, each by its own date.
    ObjectifFactory(menage=c, axe="administratif", statut="atteint", date_atteint=D(2025, 1, 1))
    ObjectifFactory(menage=d, axe="administratif", statut="atteint", date_atteint=D(2024, 12, 31))
    ObjectifFactory(menage=g, axe="administratif", statut="atteint", date_atteint=D(2026, 1, 1))
    AideFsl.objects.create(menage=c, date_demande=D(2025, 11, 1), montant=500, decision="accordee",
                           date_decision=D(2025, 12, 31))  # fmt: skip
    AideFsl.objects.create(menage=d, date_demande=D(2025, 11, 1), montant=500, decision="accordee",
                           date_decision=D(2026, 1, 1))  # fmt: skip
    PlanApurement.objects.create(menage=d, date_debut=D(2025, 1, 1), montant_dette=900, mensualite=30)
    PlanApurement.objects.create(menage=c, date_debut=D(2024, 12, 31), montant_dette=900, mensualite=30)

    # Contacts on the period's edges (Paris time), and a TISF intervention.
    def contact(menage, quand, type_, minutes):
        Contact.objects.create(
            menage=menage, date=quand, type=type_, duree_minutes=minutes, auteur=p.ts_adaff
        )

    contact(a, moment(2025, 1, 1, 0, 30), "vad", 60)
    contact(c, moment(2025, 12, 31, 23, 30), "telephone", 30)
    contact(d, moment(2024, 12, 31, 23, 30), "vad", 45)
    contact(b, moment(2025, 6, 1), "tisf", 120)

    # Dwellings mobilised: Habitat before, on the first and last day, and the day after the period.
    for jour in (D(2024, 6, 1), D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 1)):
        MobilisationLogementFactory(
            dispositif=p.dispositif, logement=LogementFactory(bailleur=p.habitat), date_mobilisation=jour
        )
    # The comité de suivi: sessions held on the first day, on 20/04 (C's change of level) and late
    # on the last day (Paris time); one planned for 01/06 and never held, one not held, one
    # cancelled; those of 18/12/2024 (D's level 3) and 01/01/2026 are outside.
    instance = Instance.objects.create(dispositif=p.dispositif, type="comite_suivi", nom="Comité de suivi")

    def seance(quand, statut):
        return Seance.objects.create(instance=instance, date=quand, statut=statut)

    seance(moment(2025, 1, 1, 9), "tenue")
    avril = seance(moment(2025, 4, 20, 14), "tenue")
    seance(moment(2025, 12, 31, 23, 30), "tenue")
    seance(moment(2025, 6, 1, 14), "planifiee")
    seance(moment(2025, 3, 1, 14), "non_tenue")
    seance(moment(2025, 4, 1, 14), "annulee")
    decembre = seance(moment(2024, 12, 18, 14), "tenue")
    seance(moment(2026, 1, 1, 9), "tenue")
    PointOrdreDuJour.objects.create(
        seance=avril, menage=c, type="changement_niveau", decision="changer_niveau",
        decide_le=moment(2025, 4, 20, 15),
    )  # fmt: skip
    PointOrdreDuJour.objects.create(
        seance=decembre, menage=d, type="changement_niveau", decision="changer_niveau",
        decide_le=moment(2024, 12, 18, 15),
    )  # fmt: skip
    p.menages = {"a": a, "b": b, "c": c, "d": d, "g": g}
    return p


def _calculer(p, debut=DEBUT, fin=FIN):
    return indicators.calculer(p.dispositif, debut, fin)


def test_headcounts_and_referral_facts_of_each_episode(programme_2025):
    i = _calculer(programme_2025)
    # Followed: A (its first episode ends on 01/01, its second starts 01/07), B, C, D, G; not E
    # (starts 01/01/2026) nor F (ended 31/12/2024). A counts once. Entries: A's second episode,
    # B, G. Exits: A's first episode (01/01), B (31/12), G (30/09).
    assert i["effectifs"] == {"suivis": 5, "entrees": 3, "sorties": 3}
    # From the referral of each of a household's episodes of the period: A's first path (SIAO,
    # access, Habitat) and A's second (CCAPEX, maintien, ALOGEA), so A counts under both; B (DALO,
    # access, Habitat), C (SIAO, maintien, ALOGEA), D (landlord, maintien, Habitat), G (SIAO,
    # access, ALOGEA). Nobody came from a social worker: a zero cell.
    assert i["par_source"] == [
        ("Saisine interne du bailleur", 1),  # D
        ("Commission technique DALO", 1),  # B
        ("SIAO", 3),  # A (first path), C, G
        ("CCAPEX", 1),  # A (second path)
        ("Travailleur social du territoire", 0),
    ]
    # Access: A's first episode, B, G; maintien: A's second episode, C, D.
    assert i["par_problematique"] == [("Accès au logement", 3), ("Maintien dans le logement", 3)]
    # ALOGEA: A (second path), C, G; Habitat: A (first path), B, D.
    assert i["par_bailleur"] == [("ALOGEA", 3), ("Habitat Audois", 3)]


def test_a_household_with_two_episodes_counts_by_the_referral_of_each_in_its_period(programme_2025):
    # First half of 2025: A is followed through its first episode only (it ended on 01/01): access,
    # from the SIAO, Habitat, whatever its second referral of June says.
    premier = _calculer(programme_2025, DEBUT, D(2025, 6, 30))
    # Followed: A (first episode), B, C, D, G (from 01/03).
    assert premier["effectifs"]["suivis"] == 5
    assert dict(premier["par_problematique"]) == {
        "Accès au logement": 3,  # A, B, G
        "Maintien dans le logement": 2,  # C, D
    }
    assert dict(premier["par_source"])["CCAPEX"] == 0
    assert dict(premier["par_source"])["SIAO"] == 3  # A, C, G
    assert dict(premier["par_bailleur"]) == {"ALOGEA": 2, "Habitat Audois": 3}  # C, G; A, B, D
    # Second half: A through its second episode only (from 01/07): maintien, CCAPEX, ALOGEA.
    second = _calculer(programme_2025, D(2025, 7, 1), FIN)
    # Followed: A (second episode), B, C, D, G (until 30/09).
    assert second["effectifs"]["suivis"] == 5
    assert dict(second["par_problematique"]) == {
        "Accès au logement": 2,  # B, G
        "Maintien dans le logement": 3,  # A, C, D
    }
    assert dict(second["par_source"])["CCAPEX"] == 1
    assert dict(second["par_source"])["SIAO"] == 2  # C, G
    assert dict(second["par_bailleur"]) == {"ALOGEA": 3, "Habitat Audois": 2}  # A, C, G; B, D
    # A's first exit (01/01, access with its lease of 31/12/2024) is an access exit of the first
    # half, achieved; the second half has no access exit achieved by a lease but B's IML on 31/12.
    assert premier["resultats"] == {"acces": 1, "acces_reussi": 1, "maintien": 0, "maintien_reussi": 0}
    assert second["resultats"] == {"acces": 2, "acces_reussi": 1, "maintien": 0, "maintien_reussi": 0}


def test_a_past_period_reads_the_referral_of_its_own_episode(programme_2025):
    i = _calculer(programme_2025, D(2024, 1, 1), D(2024, 12, 31))
    # 2024: A (first path: SIAO, access, Habitat), C, D, F; B's and G's episodes start in 2025.
    assert dict(i["par_problematique"]) == {"Accès au logement": 2, "Maintien dans le logement": 2}
    assert dict(i["par_source"])["SIAO"] == 3  # A, C, F
    assert dict(i["par_source"])["CCAPEX"] == 0  # A's second referral is not A's 2024 episode's
    assert dict(i["par_bailleur"]) == {"ALOGEA": 1, "Habitat Audois": 3}


def test_composition_and_typology_from_the_members_present_on_the_day(programme_2025):
    i = _calculer(programme_2025)
    # On 31/12/2025: A the head and the baby born in March (2 persons, a child: single parent).
    # B (exit on 31/12): the head, the child who turns 18 that day (an adult), the child who is
    # still 17 (3 persons with a child; two adults not a couple: other). The spouse left in June.
    # C: the head and the spouse arrived in March (couple without children). D: the head alone.
    # G (exit on 30/09): the head, the spouse (left 15/10, after the exit) and a child of 10.
    assert i["composition"] == [
        ("1 personne", 1, 0),
        ("2 personnes", 2, 1),
        ("3 personnes", 2, 2),
        ("4 personnes", 0, 0),
        ("5 personnes et plus", 0, 0),
    ]
    assert i["typologie"] == [
        ("Personne seule", 1),
        ("Parent seul avec enfants", 1),
        ("Couple sans enfant", 1),
        ("Couple avec enfants", 1),
        ("Autre composition", 1),
    ]
    # On 31/12/2024: A's baby is not born, C's spouse has not arrived: A, C, D and F alone.
    assert _calculer(programme_2025, D(2024, 1, 1), D(2024, 12, 31))["typologie"][0] == ("Personne seule", 4)


def test_access_achieved_by_a_lease_signed_within_the_episode(programme_2025):
    i = _calculer(programme_2025)
    # Exits of 2025, by their episode's referral: A's first episode (access; lease on 31/12/2024,
    # between its start and its exit on 01/01), B (access; IML lease on its exit day), G (access;
    # its leases, on 28/02 and 01/10, fall the day before its start and the day after its exit).
    assert i["resultats"] == {"acces": 3, "acces_reussi": 2, "maintien": 0, "maintien_reussi": 0}


def test_days_per_level_renewals_added_up_and_beyond_the_maximum(programme_2025):
    i = _calculer(programme_2025)
    niveaux = {
        row["code"]: (row["n"], row["jours_total"], row["jours_moyen"], row["jours_max"])
        for row in i["par_niveau"]
    }
    # Level 1: A's second episode 01/07-31/12 (period end) 183 days; C 01/11/2024-01/05/2025
    # 181 days (its renewal of 01/02 added up); G 01/03-30/09 213 days.
    assert niveaux["niveau_1"] == (3, 577, 192, 213)
    # Level 2: A's first episode 01/03/2024-01/01/2025 306 days; B 01/02-31/12 333 days; C
    # 01/05-31/12 244 days; D 01/06/2024-01/01/2025 214 days and again 01/12-31/12 30 days: 244.
    assert niveaux["niveau_2"] == (4, 1127, 282, 333)
    # Level 3: D 01/01-01/12, 334 days. The exit relay D reaches in 2026 is not in 2025.
    assert niveaux["niveau_3"] == (1, 334, 334, 334)
    assert niveaux["relais_sortant"] == (0, 0, None, None)
    au_dela = {row["code"]: (row["depassements"], row["jours_au_dela"]) for row in i["par_niveau"]}
    # Level 1's maximum is 3 months (91 days): A 92, C 90 and G 122 days over it. Level 2's is
    # 12 months (365 days): nobody. Levels 3 and the relay: set by the committee.
    assert au_dela == {
        "niveau_1": (3, 304),
        "niveau_2": (0, 0),
        "niveau_3": (None, None),
        "relais_sortant": (None, None),
    }


def test_level_changes_are_dated_by_their_decision(programme_2025):
    i = _calculer(programme_2025)
    # C's change decided at the session of 20/04; C's renewal at the same level is no change; D's
    # level 3, decided on 18/12/2024, belongs to 2024 though it took effect on 01/01/2025; the
    # decision of 01/01/2026 to 2026.
    assert i["changements_niveau"] == [(N1, N2, 1)]
    # D's administrator correction of 31/12 is shown apart.
    assert i["corrections_niveau"] == [(N3, N2, 1)]
    avant = _calculer(programme_2025, D(2024, 1, 1), D(2024, 12, 31))
    assert avant["changements_niveau"] == [(N2, N3, 1)]
    assert avant["corrections_niveau"] == []


def test_measures_steps_time_and_dwellings_each_by_its_own_date(programme_2025):
    i = _calculer(programme_2025)
    # Repayment plan: D's (01/01), not C's (31/12/2024). FSL: C's (31/12), not D's (01/01/2026).
    # Rights opened: C's (01/01), not D's (31/12/2024) nor G's (01/01/2026). Nobody rehoused.
    assert i["mesures"] == {"plan_apurement": 1, "fsl": 1, "droits_ouverts": 1, "relogement": 0}
    # BDF: G's file filed on 31/12, B's found admissible on 01/01; B's filing (2024) and G's plan
    # (2026) are outside.
    assert dict(i["dossiers_bdf"]) == {
        "Dossier déposé": 1,
        "Dossier recevable": 1,
        "Plan conventionnel": 0,
        "Mesures imposées": 0,
        "Rétablissement personnel": 0,
        "Dossier clos": 0,
    }
    # Time spent: the visit at 00:30 on 01/01 and the call at 23:30 on 31/12 (Paris), 90 minutes;
    # not the visit at 23:30 on 31/12/2024. The TISF's 2 hours are apart.
    c = i["contacts"]
    assert (c["nombre"], c["minutes"], c["interventions_tisf"], c["minutes_tisf"]) == (2, 90, 1, 120)
    # Dwellings mobilised, against 25 per landlord: Habitat 3 by 31/12 (June 2024, 01/01, 31/12),
    # 2 of them new; the one of 01/01/2026 is not counted. ALOGEA has its row at zero.
    assert i["logements_mobilises"] == [
        {"bailleur": "ALOGEA", "total": 0, "nouveaux": 0, "objectif": 25},
        {"bailleur": "Habitat Audois", "total": 3, "nouveaux": 2, "objectif": 25},
    ]


def test_the_csv_export_carries_the_figures(programme_2025):
    texte = exports.en_csv(masquer_indicateurs(_calculer(programme_2025))).decode("utf-8-sig")
    for ligne in [
        # One household of each typology: counts of 1, shown as « < 3 » (statistical secrecy).
        "Typologie;Couple sans enfant;< 3",
        # Three episodes beyond level 1's maximum, 304 days over it in all.
        "Au-delà de la durée maximale du niveau;Niveau 1 – Accompagnement vers le droit commun;3",
        "Jours au-delà de la durée maximale;Niveau 1 – Accompagnement vers le droit commun;304",
        f"Corrections de niveau par un administrateur;{N3} → {N2};< 3",
        # Dwellings are neither households nor people: shown as they are, zeros included.
        "Logements mobilisés (objectif 25);ALOGEA : total à la fin de la période;0",
        "Logements mobilisés (objectif 25);Habitat Audois : total à la fin de la période;3",
        "Logements mobilisés (objectif 25);Habitat Audois : nouveaux sur la période;2",
        # The TISF's single intervention is apart from the time spent, and masked.
        "Contacts;Interventions TISF;< 3",
    ]:
        assert ligne in texte, ligne


# --- The same figures in the page, the CSV, the XLSX and the PDF ----------------------------------
#
# Each figure of 2025 as a funder reads it: in the page and the PDF, the row `ligne` of the table
# whose caption starts with `tableau` reads `page` (the PDF adds the previous period after it); in
# the CSV and XLSX, the rows `csv` (section, indicator, value). Masked cells read « < 3 » (1 or 2
# households) or « secret » (masked so that no « < 3 » can be worked back from a total).
CHIFFRES_2025 = [
    # Followed: A, B, C, D, G (5). Masked: each household is alone in its typology, five « < 3 »
    # that a total of 5 would reveal as five 1s.
    ("Ménages suivis, entrées", "Ménages suivis", "secret", [("Effectifs", "Ménages suivis", "secret")]),
    # Entries: A's second episode (01/07), B (01/02), G (01/03); not E (01/01/2026).
    ("Ménages suivis, entrées", "Entrées en accompagnement", "3", [("Effectifs", "Entrées", "3")]),
    # Exits: A's first episode (01/01), B (31/12), G (30/09): 3, masked with its three exit
    # situations of 1 each (direct lease, IML, hosted).
    ("Ménages suivis, entrées", "Sorties d’accompagnement", "secret", [("Effectifs", "Sorties", "secret")]),
    # By each episode's referral: SIAO for A's first path, C and G.
    ("Origine de la saisine", "SIAO", "3", [("Origine de la saisine", "SIAO", "3")]),
    # CCAPEX: A's second path only (1).
    ("Origine de la saisine", "CCAPEX", "< 3", [("Origine de la saisine", "CCAPEX", "< 3")]),
    # Nobody from a social worker: 0 stays 0.
    (
        "Origine de la saisine",
        "Travailleur social du territoire",
        "0",
        [("Origine de la saisine", "Travailleur social du territoire", "0")],
    ),
    # Access: A's first episode, B, G; maintien: A's second episode, C, D.
    ("Accès ou maintien", "Accès au logement", "3", [("Problématique", "Accès au logement", "3")]),
    ("Accès ou maintien", "Maintien dans le logement", "3", [("Problématique", "Maintien dans le logement", "3")]),
    # Landlords at referral: ALOGEA for A's second path, C, G; Habitat for A's first path, B, D.
    ("Bailleur concerné", "ALOGEA", "3", [("Bailleur", "ALOGEA", "3")]),
    ("Bailleur concerné", "Habitat Audois", "3", [("Bailleur", "Habitat Audois", "3")]),
    # Nobody is four on their day (B's spouse left in June): a zero cell.
    ("Composition des ménages", "4 personnes", "0 0", [("Composition", "4 personnes", "0")]),
    # C and the spouse who arrived in March: the one couple without children.
    ("Typologie des ménages", "Couple sans enfant", "< 3", [("Typologie", "Couple sans enfant", "< 3")]),
    # Level 1: A's second episode 183 days, C 181 (its renewal added up), G 213: 3 episodes,
    # 192 days on average, 213 at most, all three beyond the 3 months (91 days), 304 days over.
    (
        "Accompagnements par niveau",
        N1,
        "3 192 213 3 mois 3",
        [
            ("Niveaux", N1, "3"),
            ("Durée moyenne (jours)", N1, "192"),
            ("Au-delà de la durée maximale du niveau", N1, "3"),
            ("Jours au-delà de la durée maximale", N1, "304"),
        ],
    ),
    # C's change decided at the session of 20/04 (D's, decided on 18/12/2024, is not of 2025).
    ("Changements de niveau", f"{N1} → {N2}", "< 3", [("Changements de niveau", f"{N1} → {N2}", "< 3")]),
    # D's administrator correction of 31/12, apart.
    (
        "Corrections de niveau",
        f"{N3} → {N2}",
        "< 3",
        [("Corrections de niveau par un administrateur", f"{N3} → {N2}", "< 3")],
    ),
    # Access achieved: A's first episode (lease of 31/12/2024, the day before its exit) and B (IML
    # lease on its exit day); not G (leases the day before its start and the day after its exit).
    (
        "Résultats logement",
        "dont accès au logement réalisé",
        "< 3",
        [("Résultats", "Accès réalisé", "< 3")],
    ),
    # No exit of a maintien episode in 2025: 0.
    ("Résultats logement", "Ménages « maintien » sortis", "0", [("Résultats", "Sorties de ménages « maintien »", "0")]),
    # Rights opened: C's of 01/01 only.
    (
        "Résultats logement",
        "Ménages suivis dont les droits ont été ouverts",
        "< 3",
        [("Résultats", "Droits ouverts", "< 3")],
    ),
    # BDF: G's filing of 31/12; nobody reached the agreed plan in 2025 (G's is of 01/01/2026).
    ("Dossiers de surendettement", "Dossier déposé", "< 3", [("Dossiers Banque de France", "Dossier déposé", "< 3")]),
    ("Dossiers de surendettement", "Plan conventionnel", "0", [("Dossiers Banque de France", "Plan conventionnel", "0")]),
    # The single TISF intervention and its 2 hours, apart from the social workers' time.
    (
        "Contacts avec les ménages",
        "Interventions et heures TISF (ligne budgétaire distincte)",
        "< 3 < 3",
        [("Contacts", "Interventions TISF", "< 3"), ("Contacts", "Heures TISF", "< 3")],
    ),
    # Sessions held on 01/01, 20/04 and 31/12 at 23:30 (Paris); not the one planned for 01/06 and
    # never held, the one not held, the one cancelled, nor those of 18/12/2024 and 01/01/2026.
    # Meetings, not people: shown as they are.
    ("Comité de suivi", "Séances tenues", "3", [("Comité de suivi", "Séances", "3")]),
    # C's change of level at the session of 20/04.
    ("Comité de suivi", "Décisions : changer de niveau", "< 3", [("Décisions du comité", "Changer de niveau", "< 3")]),
    # Habitat: 3 dwellings by 31/12 (June 2024, 01/01, 31/12), 2 new; ALOGEA none. Against 25.
    (
        "Logements mobilisés",
        "Habitat Audois",
        "3 2 25",
        [
            ("Logements mobilisés (objectif 25)", "Habitat Audois : total à la fin de la période", "3"),
            ("Logements mobilisés (objectif 25)", "Habitat Audois : nouveaux sur la période", "2"),
        ],
    ),
    (
        "Logements mobilisés",
        "ALOGEA",
        "0 0 25",
        [("Logements mobilisés (objectif 25)", "ALOGEA : total à la fin de la période", "0")],
    ),
]  # fmt: skip


# In the PDF, the previous period of the same length (2024), masked on its own, follows 2025's
# figure in the tables where a comparison is meaningful: (table, row, 2025 then 2024).
AVEC_2024 = [
    # Sessions held: three in 2025; in 2024 the one of 18/12 (D's level 3).
    ("Comité de suivi", "Séances tenues", "3 1"),
    # Changes of level decided: C's (20/04/2025); D's (18/12/2024).
    ("Comité de suivi", "Décisions : changer de niveau", "< 3 < 3"),
    # ALOGEA: A's second path, C, G; in 2024 C alone (A's first path is Habitat's).
    ("Bailleur concerné", "ALOGEA", "3 < 3"),
    # Access achieved: A's first episode and B; in 2024 F's exit had no lease signed.
    ("Résultats logement", "dont accès au logement réalisé", "< 3 0"),
    # No maintien episode left in either year.
    ("Résultats logement", "Ménages « maintien » sortis", "0 0"),
    # B's TISF intervention of 2025 (2 hours); none in 2024.
    (
        "Contacts avec les ménages",
        "Interventions et heures TISF (ligne budgétaire distincte)",
        "< 3 < 3 0 0 h",
    ),
]


def _texte(brut: str) -> str:
    """Text with its spaces (new lines, no-break spaces) made single spaces."""
    return " ".join(brut.split())


def _lit_dans_le_texte(texte: str, tableau: str, ligne: str) -> str:
    """What follows the row `ligne` of the table `tableau` in a document's text, from the tables of
    the figures on (after the « Effectifs de la période » heading)."""
    texte = texte[texte.index("Effectifs de la période") :]
    debut = texte.index(_texte(tableau)) + len(_texte(tableau))
    return texte[texte.index(_texte(ligne), debut) + len(_texte(ligne)) :].strip()


def _verifier_texte(texte: str, chiffres=CHIFFRES_2025):
    for tableau, ligne, attendu, *_csv in chiffres:
        suite = _lit_dans_le_texte(texte, tableau, ligne)
        assert (suite + " ").startswith(attendu + " "), (tableau, ligne, attendu, suite[:60])


def _verifier_lignes(lignes):
    lignes = {(rubrique, indicateur): str(valeur) for rubrique, indicateur, valeur in lignes}
    for _tableau, _ligne, _attendu, attendues in CHIFFRES_2025:
        for rubrique, indicateur, valeur in attendues:
            assert lignes[(rubrique, indicateur)] == valeur, (rubrique, indicateur)


PERIODE_2025 = {"debut": "2025-01-01", "fin": "2025-12-31"}


@pytest.fixture
def financeur_2025(client, convention, programme_2025):
    client.force_login(programme_2025.financeur)
    return programme_2025


def test_the_golden_figures_in_the_page(client, financeur_2025):
    response = client.get(reverse("financement:tableau", args=[financeur_2025.dispositif.pk]), PERIODE_2025)
    assert response.status_code == 200
    assert not response.context["form"].errors
    page = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    _verifier_texte(_texte(page))


def test_the_golden_figures_in_the_csv(client, financeur_2025):
    response = client.get(
        reverse("financement:export", args=[financeur_2025.dispositif.pk, "csv"]), PERIODE_2025
    )
    assert response.status_code == 200
    _verifier_lignes(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_golden_figures_in_the_xlsx(client, financeur_2025):
    response = client.get(
        reverse("financement:export", args=[financeur_2025.dispositif.pk, "xlsx"]), PERIODE_2025
    )
    assert response.status_code == 200
    feuille = openpyxl.load_workbook(io.BytesIO(response.content)).active
    _verifier_lignes(feuille.iter_rows(min_row=2, values_only=True))


def test_the_golden_figures_in_the_pdf_text(financeur_2025):
    rapport = RapportFinanceur.objects.create(
        dispositif=financeur_2025.dispositif, financeur=financeur_2025.ddcspp, date_debut=DEBUT, date_fin=FIN
    )
    lecteur = pypdf.PdfReader(io.BytesIO(documents.rapport_pdf(rapport)))
    texte = _texte(" ".join(page.extract_text() for page in lecteur.pages))
    _verifier_texte(texte)
    _verifier_texte(texte, AVEC_2024)


def _figures(p):
    avant = {}
    # 2024, 2025, and two months that end before A's baby is born.
    for debut, fin in ((D(2024, 1, 1), D(2024, 12, 31)), (DEBUT, FIN), (DEBUT, D(2025, 2, 28))):
        avant[(debut, fin)] = indicators.chiffres(indicators.calculer(p.dispositif, debut, fin))
    return avant


def test_past_figures_do_not_move_when_a_member_leaves(programme_2025):
    avant = _figures(programme_2025)
    c = programme_2025.menages["c"]
    c.membres.filter(lien="conjoint").update(date_sortie=D(2026, 2, 1))
    programme_2025.menages["b"].membres.filter(lien="chef").update(date_sortie=D(2026, 3, 1))
    assert _figures(programme_2025) == avant


def test_past_figures_do_not_move_when_a_household_re_enters(programme_2025):
    avant = _figures(programme_2025)
    g = programme_2025.menages["g"]
    menages_services.changer_etat(menage=g, vers="saisine", auteur=programme_2025.ts_adaff, motif="Retour")
    g.refresh_from_db()
    menages_services.modifier_menage(
        menage=g, source_orientation="ccapex", problematique="maintien", bailleur=programme_2025.habitat
    )
    # Its new episode, from the CCAPEX for maintien, starts in 2026.
    _entree(_episode(g, "niveau_2", D(2026, 2, 1), parcours=2))
    assert g.saisines.count() == 2
    assert _figures(programme_2025) == avant
    # Yet 2026 sees it under its new referral: CCAPEX for A's second path and G's.
    assert dict(_calculer(programme_2025, D(2026, 1, 1), D(2026, 3, 31))["par_source"])["CCAPEX"] == 2


def test_past_figures_do_not_move_when_a_new_lease_is_signed(programme_2025):
    avant = _figures(programme_2025)
    b = programme_2025.menages["b"]
    # B's IML lease glides to a direct lease in 2026, through the same attribution.
    logements_services.enregistrer_attribution(
        attribution=b.attributions.get(), auteur=programme_2025.cesf_habitat, date_glissement=D(2026, 3, 1)
    )
    # G signs another lease after its exit; A signs one in its second path.
    Bail.objects.create(menage=programme_2025.menages["g"], type="direct", date_signature=D(2026, 2, 1))
    Bail.objects.create(menage=programme_2025.menages["a"], type="direct", date_signature=D(2026, 2, 1))
    assert list(b.baux.order_by("date_signature").values_list("type", "date_signature")) == [
        ("iml", D(2025, 12, 31)),
        ("direct", D(2026, 3, 1)),
    ]
    assert _figures(programme_2025) == avant


def test_past_figures_do_not_move_when_retention_anonymises_the_files(programme_2025):
    avant = _figures(programme_2025)
    for menage in programme_2025.menages.values():
        retention.anonymiser(menage)
    assert Menage.objects.filter(anonymise_le__isnull=False).count() == 5
    assert _figures(programme_2025) == avant
