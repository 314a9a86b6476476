import datetime

import pytest
from django.core.exceptions import ValidationError

from accompagnement import services
from accompagnement.selectors import en_retard
from menages.enums import EtatParcours

D = datetime.date(2026, 3, 1)


def start(menage, user, niveau="niveau_2", duree=None, iml=None):
    return services.demarrer_accompagnement(
        menage=menage,
        niveau=niveau,
        date_debut=D,
        duree_mois=duree,
        rythme="mensuel",
        correction="Reprise d’un dossier validé hors application",
        auteur=user,
        iml=iml,
    )


def test_planned_end_comes_from_the_programmes_level_settings(menage, programme):
    accompagnement = start(menage, programme.admin)
    assert accompagnement.date_fin_prevue == datetime.date(2027, 2, 28)  # level 2: 12 months
    menage.refresh_from_db()
    assert menage.etat == EtatParcours.ACCOMPAGNEMENT and menage.niveau == "niveau_2"
    assert accompagnement.changements_niveau.get().origine == "administrateur"


def test_level_1_cannot_be_planned_beyond_three_months(menage, programme):
    with pytest.raises(ValidationError, match="au plus 3 mois"):
        start(menage, programme.admin, niveau="niveau_1", duree=4)
    assert start(menage, programme.admin, niveau="niveau_1", duree=3).date_fin_prevue == datetime.date(
        2026, 5, 31
    )


def test_level_2_cannot_be_planned_beyond_twelve_months(menage, programme):
    with pytest.raises(ValidationError, match="au plus 12 mois"):
        start(menage, programme.admin, duree=13)
    menage.refresh_from_db()
    assert menage.etat == EtatParcours.PROPOSITION_COMITE  # nothing was applied


def test_level_3_needs_a_duration_and_an_iml(menage, programme):
    with pytest.raises(ValidationError, match="intermédiation locative"):
        start(menage, programme.admin, niveau="niveau_3", duree=12)
    iml = {"partenaire": programme.hdm, "forme": "sous_location", "date_debut_contrat": D}
    with pytest.raises(ValidationError, match="fixée par le comité"):
        start(menage, programme.admin, niveau="niveau_3", iml=iml)
    accompagnement = start(menage, programme.admin, niveau="niveau_3", duree=18, iml=iml)
    assert accompagnement.iml.partenaire == programme.hdm


def test_level_changes_only_by_committee_or_by_administrator_with_reason(menage, programme):
    accompagnement = start(menage, programme.admin)
    kwargs = {"accompagnement": accompagnement, "niveau": "niveau_1", "date_effet": D, "duree_mois": 2}
    with pytest.raises(ValidationError, match="par décision du comité"):
        services.changer_niveau(correction="Erreur", auteur=programme.ts_adaff, **kwargs)
    with pytest.raises(ValidationError, match="par décision du comité"):
        services.changer_niveau(motif="Décision du comité du 01/03", auteur=programme.ts_adaff, **kwargs)
    with pytest.raises(ValidationError, match="motif de la correction"):
        services.changer_niveau(correction=" ", auteur=programme.admin, **kwargs)
    services.changer_niveau(correction="Erreur de saisie", auteur=programme.admin, **kwargs)
    accompagnement.refresh_from_db()
    assert accompagnement.niveau == "niveau_1" and accompagnement.date_fin_prevue == datetime.date(
        2026, 4, 30
    )
    assert [c.nouveau_niveau for c in accompagnement.changements_niveau.all()] == ["niveau_1", "niveau_2"]


def test_exit_relay_then_closure_move_the_path(menage, programme):
    accompagnement = start(menage, programme.admin)
    services.changer_niveau(
        accompagnement=accompagnement,
        niveau="relais_sortant",
        date_effet=datetime.date(2026, 9, 1),
        duree_mois=3,
        correction="Relais décidé avant la mise en service",
        auteur=programme.admin,
    )
    menage.refresh_from_db()
    assert menage.etat == EtatParcours.RELAIS_SORTANT
    services.clore_accompagnement(
        accompagnement=accompagnement,
        date_fin=datetime.date(2026, 11, 1),
        motif_sortie="autonomie",
        situation_sortie="maintien",
        correction="Sortie décidée avant la mise en service",
        auteur=programme.admin,
    )
    menage.refresh_from_db()
    accompagnement.refresh_from_db()
    assert menage.etat == EtatParcours.CLOS and menage.motif_sortie == "autonomie"
    assert (
        accompagnement.date_fin == datetime.date(2026, 11, 1)
        and accompagnement.situation_sortie == "maintien"
    )


@pytest.mark.parametrize(
    ("rythme", "jours", "late"),
    [
        ("intensif", 4, False), ("intensif", 5, True),
        ("hebdomadaire", 8, False), ("hebdomadaire", 9, True),
        ("bimensuel", 16, False), ("bimensuel", 17, True),
        ("mensuel", 31, False), ("mensuel", 32, True),
        ("veille", 62, False), ("veille", 63, True),
    ],
)  # fmt: skip
def test_lateness_follows_the_rythme(rythme, jours, late):
    today = datetime.date(2026, 11, 29)
    last = datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC) - datetime.timedelta(days=jours)
    assert en_retard(rythme, last, D, le=today) is late


def test_without_any_contact_lateness_counts_from_the_start():
    assert en_retard("hebdomadaire", None, datetime.date(2026, 11, 1), le=datetime.date(2026, 11, 29))
    assert not en_retard("hebdomadaire", None, datetime.date(2026, 11, 25), le=datetime.date(2026, 11, 29))
    assert not en_retard(None, None, None)


def test_an_objective_reached_is_dated_and_loses_its_date_if_taken_back(menage, programme):
    from django.utils import timezone

    objectif = services.creer_objectif(
        menage=menage, auteur=programme.ts_adaff, axe="administratif", libelle="Ouvrir les droits à l’APL"
    )
    assert objectif.date_atteint is None
    services.modifier_objectif(
        objectif=objectif, version=objectif.version, auteur=programme.ts_adaff, statut="atteint"
    )
    objectif.refresh_from_db()
    assert objectif.date_atteint == timezone.localdate()
    services.modifier_objectif(
        objectif=objectif, version=objectif.version, auteur=programme.ts_adaff, libelle="APL"
    )
    objectif.refresh_from_db()
    assert objectif.date_atteint == timezone.localdate()  # still reached: its date does not move
    services.modifier_objectif(
        objectif=objectif, version=objectif.version, auteur=programme.ts_adaff, statut="en_cours"
    )
    objectif.refresh_from_db()
    assert objectif.date_atteint is None
