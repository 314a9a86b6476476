"""The landlords' counts by step (EffectifBailleur) stay equal to the households a landlord's staff
see, whatever changes them, and the dashboards and the household list read them for those staff
only: every other role's counts are counted from the access rule itself."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptes.enums import Role
from comptes.tests.factories import DispositifFactory, user_with_role
from menages import effectifs, services
from menages.enums import EtatParcours, Partenaire
from menages.models import ConsentementPartage, EffectifBailleur, Menage
from menages.selectors import nombres_par_etat, nombres_par_etat_visibles
from menages.tasks import recalculer_effectifs
from menages.tests.factories import MenageFactory

PERSONAS = (
    "ts_adaff",
    "cesf_habitat",
    "cesf_alogea",
    "gardien_habitat",
    "ts_hdm",
    "tisf_afc",
    "financeur",
    "comite",
    "admin",
)


def _en_direct():
    """The counts computed in Python from the households and their consents themselves: for each
    landlord, programme and step, (its tenants, those whose consent to share with it stands)."""
    consentants = set(
        ConsentementPartage.objects.filter(
            partenaire=Partenaire.BAILLEUR, date_retrait__isnull=True
        ).values_list("menage_id", flat=True)
    )
    lignes = {}
    for pk, bailleur, dispositif, etat in Menage.objects.values_list(
        "pk", "bailleur_id", "dispositif_id", "etat"
    ):
        if bailleur is not None:
            locataires, partage = lignes.get((bailleur, dispositif, etat), (0, 0))
            lignes[(bailleur, dispositif, etat)] = (locataires + 1, partage + (pk in consentants))
    return lignes


def _tenus():
    """The kept counts, but for the rows of zeros (a step left without households keeps its row)."""
    return {
        (r.bailleur_id, r.dispositif_id, r.etat): (r.locataires, r.nombre)
        for r in EffectifBailleur.objects.exclude(locataires=0)
    }


@pytest.fixture
def menages(programme):
    d = programme.dispositif
    return [
        MenageFactory(dispositif=d, bailleur=programme.habitat, en_accompagnement=True),
        MenageFactory(dispositif=d, bailleur=programme.habitat, en_diagnostic=True),
        MenageFactory(dispositif=d, bailleur=programme.habitat, consentements=[Partenaire.IML]),
        MenageFactory(dispositif=d, bailleur=programme.alogea, en_accompagnement=True),
        MenageFactory(dispositif=d, bailleur=None),
    ]


def _consentement(menage):
    return ConsentementPartage.objects.actifs().get(menage=menage, partenaire=Partenaire.BAILLEUR)


def test_counts_hold_the_households_with_a_landlord_and_its_consent(programme, menages):
    d = programme.dispositif.pk
    assert _tenus() == {
        (programme.habitat.pk, d, EtatParcours.ACCOMPAGNEMENT): (1, 1),
        (programme.habitat.pk, d, EtatParcours.DIAGNOSTIC): (1, 1),
        (programme.habitat.pk, d, EtatParcours.SAISINE): (1, 0),  # a tenant without consent
        (programme.alogea.pk, d, EtatParcours.ACCOMPAGNEMENT): (1, 1),
    }
    assert _tenus() == _en_direct()


def test_a_change_of_step_landlord_or_programme_moves_the_household(programme, menages):
    a, b, sans_consentement, c, sans_bailleur = menages
    a.etat = EtatParcours.RELAIS_SORTANT
    a.save()
    assert _tenus() == _en_direct()
    b.bailleur = programme.alogea
    b.save(update_fields=["bailleur"])
    assert _tenus() == _en_direct()
    c.dispositif = DispositifFactory(code="asea-po", nom="ASEA Pyrénées-Orientales")
    c.save()
    assert _tenus() == _en_direct()
    sans_bailleur.bailleur = programme.habitat
    sans_bailleur.save()
    assert _tenus() == _en_direct()
    assert _tenus()[(programme.habitat.pk, programme.dispositif.pk, EtatParcours.SAISINE)] == (2, 1)


def test_a_step_changed_through_the_workflow_is_counted_at_its_new_step(programme, menages):
    a = menages[0]
    services.changer_etat(
        menage=a,
        vers=EtatParcours.RELAIS_SORTANT,
        auteur=programme.admin,
        correction="Décision du comité du 5 janvier reportée en retard.",
    )
    d = programme.dispositif.pk
    assert _tenus()[(programme.habitat.pk, d, EtatParcours.RELAIS_SORTANT)] == (1, 1)
    assert (programme.habitat.pk, d, EtatParcours.ACCOMPAGNEMENT) not in _tenus()
    assert _tenus() == _en_direct()


def test_consent_given_withdrawn_corrected_or_removed_changes_the_count(programme, menages):
    a, b, sans_consentement, c, sans_bailleur = menages
    donne = services.enregistrer_consentement(
        menage=sans_consentement,
        partenaire=Partenaire.BAILLEUR,
        date_consentement=datetime.date(2026, 1, 5),
        version_notice="2026-01",
        auteur=programme.ts_adaff,
    )
    assert _tenus()[(programme.habitat.pk, programme.dispositif.pk, EtatParcours.SAISINE)] == (1, 1)
    services.retirer_consentement(consentement=donne, auteur=programme.ts_adaff)
    assert _tenus() == _en_direct()
    # A consent recorded on the wrong household, corrected as from the admin: both counts move.
    erreur = _consentement(a)
    erreur.menage = sans_consentement
    erreur.save()
    assert _tenus() == _en_direct()
    assert _tenus()[(programme.habitat.pk, programme.dispositif.pk, EtatParcours.ACCOMPAGNEMENT)] == (1, 0)
    _consentement(b).delete()
    assert _tenus() == _en_direct()
    assert _tenus()[(programme.habitat.pk, programme.dispositif.pk, EtatParcours.DIAGNOSTIC)] == (1, 0)


def test_a_deleted_household_leaves_the_counts(programme, menages):
    menages[0].delete()  # its consents go first, with their signals, then the household
    assert _tenus() == _en_direct()
    Menage.objects.filter(bailleur=programme.alogea).delete()
    assert _tenus() == _en_direct()
    assert not [cle for cle in _tenus() if cle[0] == programme.alogea.pk]


def test_saves_that_do_not_move_a_household_cost_no_recomputation(programme, menages):
    a = menages[0]
    a.nom = "Autre nom"
    with CaptureQueriesContext(connection) as ctx:
        a.save()
    assert not [q for q in ctx.captured_queries if "menages_effectifbailleur" in q["sql"]]
    with CaptureQueriesContext(connection) as ctx:
        a.save(update_fields=["telephone"])
    assert not [q for q in ctx.captured_queries if "menages_effectifbailleur" in q["sql"]]


def test_the_nightly_task_repairs_changes_made_behind_the_signals(programme, menages):
    Menage.objects.filter(pk=menages[0].pk).update(etat=EtatParcours.CLOS)  # no signal
    ConsentementPartage.objects.filter(menage=menages[3]).update(date_retrait=menages[3].date_saisine)
    assert _tenus() != _en_direct()
    recalculer_effectifs()
    assert _tenus() == _en_direct()


def test_recomputing_one_landlord_leaves_the_others(programme, menages):
    EffectifBailleur.objects.filter(bailleur=programme.alogea).update(nombre=99)
    effectifs.recalculer(bailleur_id=programme.habitat.pk)
    assert EffectifBailleur.objects.get(bailleur=programme.alogea).nombre == 99
    effectifs.recalculer()
    assert _tenus() == _en_direct()


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_reads_the_counts_of_what_it_sees(programme, menages, persona):
    """The kept counts are read for a landlord's staff only, and give what the access rule gives
    for everyone: a change to `visible_to` that the counts do not follow fails here."""
    user = getattr(programme, persona)
    _consentement(menages[1]).delete()
    assert nombres_par_etat_visibles(user) == nombres_par_etat(Menage.objects.visible_to(user))
    lit_les_effectifs = Menage.objects.bailleur_seul(user) is not None
    assert lit_les_effectifs == (persona in {"cesf_habitat", "cesf_alogea"})


def test_the_cesfs_widget_reads_her_landlords_tenants_from_the_kept_counts(programme, menages):
    from logements.selectors import tableau_cesf

    for user in (programme.cesf_habitat, programme.cesf_alogea):
        with CaptureQueriesContext(connection) as ctx:
            nombre = tableau_cesf(user)["nombre_locataires"]
        assert nombre == Menage.objects.locataires_visible_to(user).count()
        assert [q for q in ctx.captured_queries if "menages_effectifbailleur" in q["sql"]]
    assert tableau_cesf(programme.cesf_habitat)["nombre_locataires"] == 3  # one without consent
    assert Menage.objects.bailleur_des_locataires(programme.ts_adaff) is None


def test_a_landlord_who_is_also_a_social_worker_is_counted_from_the_rule(programme, menages):
    """Her own landlord's consenting households, and those her organisation follows: not the kept
    counts, which hold only the first."""
    double = user_with_role(Role.CESF, programme.habitat, username="cesf.ts")
    double.attributions_roles.create(role=Role.TRAVAILLEUR_SOCIAL)
    double = type(double).objects.get(pk=double.pk)
    assert Menage.objects.bailleur_seul(double) is None
    assert nombres_par_etat_visibles(double) == nombres_par_etat(Menage.objects.visible_to(double))


def test_a_landlords_counts_are_read_in_one_query_without_the_households(programme, menages):
    with CaptureQueriesContext(connection) as ctx:
        counts = nombres_par_etat_visibles(programme.cesf_habitat)
    assert counts[EtatParcours.ACCOMPAGNEMENT] == 1 and counts[EtatParcours.DIAGNOSTIC] == 1
    assert sum(counts.values()) == 2
    lectures = [q["sql"] for q in ctx.captured_queries if "menages_effectifbailleur" in q["sql"]]
    assert len(lectures) == 1
    assert not [q for q in ctx.captured_queries if "menages_consentementpartage" in q["sql"]]


def test_another_programmes_counts_are_not_a_landlords(programme, menages):
    autre = DispositifFactory(code="asea-po", nom="ASEA Pyrénées-Orientales")
    MenageFactory(dispositif=autre, bailleur=programme.habitat, en_accompagnement=True)
    assert (programme.habitat.pk, autre.pk, EtatParcours.ACCOMPAGNEMENT) in _tenus()
    assert nombres_par_etat_visibles(programme.cesf_habitat)[EtatParcours.ACCOMPAGNEMENT] == 1
    assert nombres_par_etat_visibles(programme.cesf_habitat) == nombres_par_etat(
        Menage.objects.visible_to(programme.cesf_habitat)
    )


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["etat", "bailleur", "consentir", "retirer", "supprimer_consentement", "supprimer"]),
        st.integers(min_value=0, max_value=3),
        st.sampled_from(list(EtatParcours)),
    ),
    max_size=12,
)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_any_sequence_of_changes_keeps_the_counts_equal_to_the_households(programme, operations):
    d = programme.dispositif
    bailleurs = [programme.habitat, programme.alogea, None]
    menages = [
        MenageFactory(
            dispositif=d, bailleur=bailleurs[i % 3], consentements=[Partenaire.BAILLEUR] if i % 2 else []
        )
        for i in range(4)
    ]
    try:
        for operation, i, etat in operations:
            menage = Menage.objects.filter(pk=menages[i].pk).first()
            if menage is None:
                continue
            actif = ConsentementPartage.objects.actifs().filter(menage=menage, partenaire=Partenaire.BAILLEUR)
            if operation == "etat":
                menage.etat = etat
                menage.save()
            elif operation == "bailleur":
                menage.bailleur = bailleurs[list(EtatParcours).index(etat) % 3]
                menage.save()
            elif operation == "consentir" and not actif.exists():
                ConsentementPartage.objects.create(
                    menage=menage,
                    partenaire=Partenaire.BAILLEUR,
                    date_consentement=datetime.date(2026, 1, 5),
                    version_notice="2026-01",
                )
            elif operation == "retirer" and actif.exists():
                services.retirer_consentement(consentement=actif.get(), auteur=programme.admin)
            elif operation == "supprimer_consentement":
                for consentement in ConsentementPartage.objects.filter(menage=menage):
                    consentement.delete()
            elif operation == "supprimer":
                menage.delete()
            assert _tenus() == _en_direct()
    finally:
        Menage.objects.filter(pk__in=[m.pk for m in menages]).delete()


def test_the_counts_being_derived_data_leave_no_audit_trail(programme, menages):
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    a = menages[0]
    a.etat = EtatParcours.RELAIS_SORTANT
    a.save()
    effectifs.recalculer()  # the nightly recomputation deletes and writes every row again
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(EffectifBailleur)
    ).exists()
    assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Menage)).exists()
