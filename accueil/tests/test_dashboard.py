import pytest
from django.db import connection
from django.urls import reverse

from accueil.selectors import chiffres_dispositifs
from menages.enums import EtatParcours
from menages.tests.factories import IntervenantFactory, MenageFactory


@pytest.fixture
def menage(programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Durand Hélène")
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    return menage


@pytest.mark.parametrize(
    ("persona", "expected", "absent"),
    [
        ("ts_adaff", ["Mes ménages", "Durand Hélène"], ["Le dispositif en chiffres", "Administration</h2>"]),
        ("cesf_habitat", ["Mes ménages", "Durand Hélène"], ["Le dispositif en chiffres"]),
        ("cesf_alogea", ["Mes ménages", "Aucun ménage ne vous est confié"], ["Durand Hélène"]),
        ("financeur", ["Le dispositif en chiffres", "Par bailleur"], ["Mes ménages", "Durand Hélène"]),
        ("comite", ["Comité de suivi", "Le dispositif en chiffres"], ["Mes ménages", "Durand Hélène"]),
        ("admin", ["Ménages du dispositif", "Paramétrer le dispositif"], ["Le dispositif en chiffres"]),
    ],
)
def test_each_role_gets_its_dashboard(client, programme, menage, persona, expected, absent):
    client.force_login(getattr(programme, persona))
    response = client.get(reverse("tableau_de_bord"))
    assert response.status_code == 200
    for text in expected:
        assert text in response.text
    for text in absent:
        assert text not in response.text


def test_funder_dashboard_masks_small_counts(client, programme, menage):
    client.force_login(programme.financeur)
    response = client.get(reverse("tableau_de_bord"))
    assert "&lt; 3 ménage" in response.text


def test_navigation_follows_roles(client, programme, menage):
    client.force_login(programme.financeur)
    assert reverse("dossiers:liste") not in client.get(reverse("tableau_de_bord")).text
    client.force_login(programme.ts_adaff)
    assert reverse("dossiers:liste") in client.get(reverse("tableau_de_bord")).text


@pytest.mark.parametrize("persona", ["ts_adaff", "financeur", "admin", "comite"])
def test_dashboard_query_count_does_not_grow_with_households(client, programme, count_queries, persona):
    client.force_login(getattr(programme, persona))
    for _ in range(2):
        m = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
        IntervenantFactory(menage=m, utilisateur=programme.ts_adaff)
    few = count_queries(client.get, reverse("tableau_de_bord"))
    for _ in range(30):
        m = MenageFactory(dispositif=programme.dispositif, bailleur=programme.alogea)
        IntervenantFactory(menage=m, utilisateur=programme.ts_adaff)
    many = count_queries(client.get, reverse("tableau_de_bord"))
    assert few == many


# Where the database takes no limited selection in a UNION (SQLite, `make run`'s default), each
# selection of a widget's UNION ALL is a query (comptes.lecture.union_tous), and the dashboard's
# visit is recorded with the ORM (rappels.notifications): a few queries more, as many whatever the
# data.
AVEC_UNION = connection.features.supports_slicing_ordering_in_compound


def test_committee_members_home_query_bound(client, programme, menage, django_assert_max_num_queries):
    """The indicators in one grouped query, the committee widget in two, the current programme's
    id read once for every access rule of the page."""
    client.force_login(programme.comite)
    with django_assert_max_num_queries(12 if AVEC_UNION else 14):
        assert client.get(reverse("tableau_de_bord")).status_code == 200


def test_indicators_by_step_and_landlord_from_one_query(programme, django_assert_num_queries):
    """The total and both breakdowns are summed from one count by step and landlord: each adds
    up to the total, landlords by name, households without a landlord last."""
    for etat, bailleur, n in (
        (EtatParcours.SAISINE, programme.habitat, 3),
        (EtatParcours.ACCOMPAGNEMENT, programme.habitat, 2),
        (EtatParcours.ACCOMPAGNEMENT, programme.alogea, 4),
        (EtatParcours.CLOS, None, 1),
    ):
        MenageFactory.create_batch(n, dispositif=programme.dispositif, bailleur=bailleur, etat=etat)
    with django_assert_num_queries(1):
        chiffres = chiffres_dispositifs(programme.comite, [programme.dispositif.pk])
    assert chiffres["total"] == 10
    par_etat = dict(chiffres["par_etat"])
    assert par_etat[EtatParcours.SAISINE.label] == 3
    assert par_etat[EtatParcours.ACCOMPAGNEMENT.label] == 6
    assert par_etat[EtatParcours.CLOS.label] == 1
    assert par_etat[EtatParcours.DIAGNOSTIC.label] == 0
    assert chiffres["par_bailleur"] == [("ALOGEA", 4), ("Habitat Audois", 5), ("Sans bailleur", 1)]
    # Without the programmes given: those of the user's organisation, as before.
    assert chiffres_dispositifs(programme.comite) == chiffres


def test_mes_menages_puts_late_ones_first_and_counts_them(programme):
    import datetime

    from django.utils import timezone

    from accompagnement.tests.factories import AccompagnementFactory, ContactFactory
    from accueil.selectors import mes_menages

    user = programme.ts_adaff
    a_jour, en_retard = (
        MenageFactory(dispositif=programme.dispositif, nom=nom, etat="accompagnement")
        for nom in ("Albert", "Zola")
    )
    for menage in (a_jour, en_retard):
        IntervenantFactory(menage=menage, utilisateur=user)
        AccompagnementFactory(menage=menage, rythme="hebdomadaire")
    ContactFactory(menage=a_jour, auteur=user, date=timezone.now() - datetime.timedelta(days=2))
    ContactFactory(menage=en_retard, auteur=user, date=timezone.now() - datetime.timedelta(days=20))
    clos = MenageFactory(dispositif=programme.dispositif, nom="Clos", etat="clos")
    IntervenantFactory(menage=clos, utilisateur=user)

    result = mes_menages(user)

    assert [(m.nom, m.en_retard) for m in result["suivis"]] == [("Zola", True), ("Albert", False)]
    assert (result["total"], result["nombre_suivis"], result["en_retard"]) == (3, 2, 1)
    assert dict(result["par_etat"])["Accompagnement"] == 2
    assert result["suivis"][0].get_absolute_url() == reverse("dossiers:detail", args=[en_retard.pk])
    assert result["suivis"][0].get_etat_display() == "Accompagnement"


def test_mes_menages_falls_back_on_visible_ones_only_for_who_follows_none(programme):
    from accueil.selectors import mes_menages

    ouvert = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Ouvert")
    # The CESF follows no household personally: she sees her landlord's households in progress.
    assert [m.nom for m in mes_menages(programme.cesf_habitat)["suivis"]] == ["Ouvert"]
    # Once she follows one, even a closed one, "my households" are hers only.
    clos = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, etat="clos")
    IntervenantFactory(menage=clos, utilisateur=programme.cesf_habitat)
    result = mes_menages(programme.cesf_habitat)
    assert result["suivis"] == [] and result["nombre_suivis"] == 0
    assert result["total"] == 2
    assert ouvert.nom not in [m.nom for m in result["suivis"]]


def test_funder_dashboard_masks_a_count_its_total_would_give_back(client, programme, menage):
    # 5 households: 2 with ALOGEA, 3 with Habitat Audois. « 5 = < 3 + 3 » would give the 2 back.
    MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    for _ in range(2):
        MenageFactory(dispositif=programme.dispositif, bailleur=programme.alogea)
    client.force_login(programme.financeur)
    response = client.get(reverse("tableau_de_bord"))
    assert "5 ménages" in response.text
    bailleurs = dict(response.context["chiffres"]["par_bailleur"])
    assert (bailleurs["ALOGEA"].libelle, bailleurs["Habitat Audois"].libelle) == ("< 3", "secret")
    assert '<td>ALOGEA</td><td class="text-end">&lt; 3</td>' in response.text
    assert '<td>Habitat Audois</td><td class="text-end">secret</td>' in response.text


# The home page's queries, whatever the number of households: 5 to read the session, the user,
# her roles and permissions, then the page's own (issue #21, before → after: social worker 11 → 10,
# CESF following no household 20 → 15, allocation officer 14 → 13, administrator 16 → 14); plus
# one for the current programme's id, read once for every access rule of the page.
@pytest.mark.parametrize(
    ("persona", "maximum"),
    [("ts_adaff", 11), ("cesf_habitat", 16 if AVEC_UNION else 22), ("charge_attribution", 14), ("admin", 15)],
)
def test_dashboard_queries_are_bounded(client, programme, django_assert_max_num_queries, persona, maximum):
    from accompagnement.tests.factories import AccompagnementFactory, ContactFactory
    from comptes.enums import Role
    from comptes.tests.factories import user_with_role

    if persona == "charge_attribution":
        user = user_with_role(Role.CHARGE_ATTRIBUTION, programme.habitat, username="attribution.habitat")
    else:
        user = getattr(programme, persona)
    for bailleur in (programme.habitat, programme.alogea) * 5:
        m = MenageFactory(dispositif=programme.dispositif, bailleur=bailleur, etat="accompagnement")
        IntervenantFactory(menage=m, utilisateur=programme.ts_adaff)
        AccompagnementFactory(menage=m, rythme="hebdomadaire")
        ContactFactory(menage=m, auteur=programme.ts_adaff)
    client.force_login(user)
    client.get(reverse("tableau_de_bord"))  # the first visit records it
    with django_assert_max_num_queries(maximum):
        response = client.get(reverse("tableau_de_bord"))
    assert response.status_code == 200


def test_mes_menages_counts_all_in_progress_and_says_when_lateness_is_read_on_the_latest_only(
    client, programme, monkeypatch
):
    """Past MAX_SUIVIS households in progress, the page read the most recently modified only: the
    number in progress is still exact, and the late ones are said to be among those read."""
    from accompagnement.tests.factories import AccompagnementFactory
    from accueil import selectors

    monkeypatch.setattr(selectors, "MAX_SUIVIS", 2)
    menages = [
        MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, etat="accompagnement")
        for _ in range(4)
    ]
    for menage in menages:
        AccompagnementFactory(menage=menage, rythme="hebdomadaire")  # no contact: late
    MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, etat="clos")
    # The CESF follows none in person: every visible household.
    result = selectors.mes_menages(programme.cesf_habitat)
    assert (result["total"], result["nombre_suivis"], result["partiel"], result["lus"]) == (5, 4, True, 2)
    client.force_login(programme.cesf_habitat)
    texte = " ".join(client.get(reverse("tableau_de_bord")).text.split())
    assert "5 ménages visibles, dont 4 en cours." in texte
    assert "Parmi les 2 plus récemment modifiés, <strong>2 sont en retard sur leur rythme</strong>" in texte
    # Followed in person: her own households in progress, counted all.
    for menage in menages[:3]:
        IntervenantFactory(menage=menage, utilisateur=programme.cesf_habitat)
    result = selectors.mes_menages(programme.cesf_habitat)
    assert (result["en_propre"], result["nombre_suivis"], result["partiel"]) == (True, None, True)
    texte = " ".join(client.get(reverse("tableau_de_bord")).text.split())
    assert "5 ménages visibles ; vous en suivez au moins 2 en cours." in texte
    # Below the limit, the late ones are all counted and the sentence says so.
    monkeypatch.setattr(selectors, "MAX_SUIVIS", 300)
    texte = " ".join(client.get(reverse("tableau_de_bord")).text.split())
    assert (
        "5 ménages visibles ; vous en suivez 3 en cours – <strong>3 en retard sur leur rythme</strong>."
        in texte
    )


def test_someone_who_follows_only_closed_households_sees_none_in_progress(programme):
    """« Mes ménages » are those she intervenes on in person now: a CESF whose only household is
    closed follows none in progress (not every visible one); an intervention that has ended does
    not make her households hers."""
    import datetime

    from accueil import selectors

    MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, etat="accompagnement")
    clos = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, etat="clos")
    ancien = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, etat="accompagnement")
    IntervenantFactory(
        menage=ancien,
        utilisateur=programme.cesf_habitat,
        date_debut=datetime.date(2026, 1, 5),
        date_fin=datetime.date(2026, 2, 5),
    )
    result = selectors.mes_menages(programme.cesf_habitat)
    assert (result["en_propre"], result["nombre_suivis"], len(result["suivis"])) == (False, 2, 2)
    IntervenantFactory(menage=clos, utilisateur=programme.cesf_habitat)
    result = selectors.mes_menages(programme.cesf_habitat)
    assert (result["en_propre"], result["nombre_suivis"], result["suivis"]) == (True, 0, [])
    # The administrator intervenes nowhere: every household of the programme in progress.
    result = selectors.mes_menages(programme.admin)
    assert (result["en_propre"], result["nombre_suivis"], result["total"]) == (False, 2, 3)
