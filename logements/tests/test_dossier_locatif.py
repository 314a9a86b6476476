import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from logements import selectors
from logements.enums import EtapeProcedure, StatutReclamation, TypeReclamation
from logements.models import EtapeExpulsion, Reclamation, SoldeLocatif
from menages.tests.factories import MenageFactory


@pytest.fixture
def locataire(programme):
    return MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Famille Martin")


def _soldes(menage, montants, debut=datetime.date(2026, 1, 1), loyer=Decimal("450")):
    for i, montant in enumerate(montants):
        SoldeLocatif.objects.create(
            menage=menage,
            mois=debut.replace(month=debut.month + i),
            solde=Decimal(montant),
            loyer_charges=loyer,
        )


def test_cesf_sees_her_landlords_tenant_file_with_the_arrears_chart(client, programme, locataire):
    _soldes(locataire, ["0", "320.50", "1234.50"])
    Reclamation.objects.create(
        menage=locataire, type=TypeReclamation.TECHNIQUE, description="Fuite sous l’évier"
    )
    client.force_login(programme.cesf_habitat)
    response = client.get(reverse("logements:dossier_locatif", args=[locataire.pk]))
    assert response.status_code == 200
    text = response.text
    assert "Fuite sous l’évier" in text
    assert text.count("<rect ") == 3
    assert "1\u202f234,50\u00a0€" in text  # the table, the text alternative of the chart
    assert "<caption>Impayés mois par mois" in text
    # 2 months of the tenant's 450 € rent and charges: 900 €, crossed by the last month.
    assert "Seuil d’impayés franchi" in text
    assert reverse("menages:pre_diagnostic", args=[locataire.pk]) in text


def test_tenant_below_the_threshold_is_not_flagged(client, programme, locataire):
    _soldes(locataire, ["899.99"])
    client.force_login(programme.cesf_habitat)
    response = client.get(reverse("logements:dossier_locatif", args=[locataire.pk]))
    assert "Seuil d’impayés franchi" not in response.text


def test_cesf_cannot_open_other_landlords_tenant_file(client, programme, locataire):
    client.force_login(programme.cesf_alogea)
    assert client.get(reverse("logements:dossier_locatif", args=[locataire.pk])).status_code == 404
    assert client.get(reverse("logements:reclamation", args=[locataire.pk])).status_code == 404
    client.post(
        reverse("logements:reclamation", args=[locataire.pk]),
        {"type": "technique", "date": "2026-01-05", "description": "x"},
    )
    assert not Reclamation.objects.exists()


def test_other_landlords_records_are_not_in_her_scope(programme, locataire):
    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.alogea)
    Reclamation.objects.create(menage=locataire, type=TypeReclamation.HYGIENE, description="a")
    Reclamation.objects.create(menage=autre, type=TypeReclamation.HYGIENE, description="b")
    assert list(
        Reclamation.objects.visible_to(programme.cesf_alogea).values_list("description", flat=True)
    ) == ["b"]
    assert Reclamation.objects.visible_to(programme.admin).count() == 2


@pytest.mark.parametrize("persona", ["financeur", "comite", "gardien_habitat", "ts_adaff", "tisf_afc"])
def test_others_may_not_read_the_tenant_file(client, programme, locataire, persona):
    client.force_login(getattr(programme, persona))
    assert client.get(reverse("logements:dossier_locatif", args=[locataire.pk])).status_code == 403
    assert not SoldeLocatif.objects.visible_to(getattr(programme, persona)).exists()


def test_cesf_records_a_complaint(client, programme, locataire):
    client.force_login(programme.cesf_habitat)
    response = client.post(
        reverse("logements:reclamation", args=[locataire.pk]),
        {"type": "troubles_voisinage", "date": "2026-02-03", "description": "Bruit la nuit"},
    )
    assert response.status_code == 302
    reclamation = Reclamation.objects.get()
    assert (reclamation.menage, reclamation.statut, reclamation.auteur) == (
        locataire,
        StatutReclamation.OUVERTE,
        programme.cesf_habitat,
    )


def test_complaint_with_bad_input_is_shown_again_with_french_messages(client, programme, locataire):
    client.force_login(programme.cesf_habitat)
    response = client.post(
        reverse("logements:reclamation", args=[locataire.pk]),
        {"type": "inconnu", "date": "pas une date", "description": "Texte conservé"},
    )
    assert response.status_code == 200
    assert "Texte conservé" in response.text
    assert "Saisissez une date valide" in response.text
    assert not Reclamation.objects.exists()


def test_cesf_records_and_corrects_a_months_arrears(client, programme, locataire):
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:solde", args=[locataire.pk])
    client.post(url, {"mois": "2026-03", "solde": "150"})
    client.post(url, {"mois": "2026-03", "solde": "175.25"})
    assert list(SoldeLocatif.objects.values_list("mois", "solde")) == [
        (datetime.date(2026, 3, 1), Decimal("175.25"))
    ]
    response = client.post(url, {"mois": "2026-03", "solde": "-4"})
    assert response.status_code == 200
    assert "ne peut pas être négatif" in response.text


def test_tenant_file_query_count_does_not_grow(client, programme, locataire, count_queries):
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:dossier_locatif", args=[locataire.pk])
    _soldes(locataire, ["10"])
    one = count_queries(client.get, url)
    _soldes(locataire, ["10"] * 8, debut=datetime.date(2025, 1, 1))
    for i in range(10):
        Reclamation.objects.create(menage=locataire, type=TypeReclamation.TECHNIQUE, description=f"r{i}")
        EtapeExpulsion.objects.create(
            menage=locataire, etape=EtapeProcedure.SAISINE_CCAPEX, date=datetime.date(2026, 1, i + 1)
        )
    assert count_queries(client.get, url) == one


@pytest.mark.parametrize(
    ("jour", "treve"),
    [
        (datetime.date(2026, 10, 31), False),
        (datetime.date(2026, 11, 1), True),
        (datetime.date(2027, 1, 15), True),
        (datetime.date(2027, 3, 31), True),
        (datetime.date(2027, 4, 1), False),
    ],
)
def test_winter_truce_runs_from_1_november_to_31_march(jour, treve):
    assert selectors.en_treve_hivernale(jour) is treve


def test_truce_shown_is_the_current_one_or_the_next():
    assert selectors.treve_hivernale(datetime.date(2027, 2, 1)) == (
        datetime.date(2026, 11, 1),
        datetime.date(2027, 3, 31),
    )
    assert selectors.treve_hivernale(datetime.date(2026, 6, 1)) == (
        datetime.date(2026, 11, 1),
        datetime.date(2027, 3, 31),
    )


def test_chart_scales_bars_to_the_highest_of_balances_and_threshold():
    soldes = [SoldeLocatif(mois=datetime.date(2026, 1, 1), solde=Decimal("450"))]
    courbe = selectors.courbe_impayes(soldes, Decimal("900"), largeur=600, hauteur=200, marge=24)
    # 152 px of useful height; 450 of 900 is half of it.
    assert courbe.barres[0].hauteur == 76
    assert courbe.y_seuil == 24


def test_household_page_links_the_tenant_file_for_the_cesf_only(client, programme, locataire):
    from menages.tests.factories import IntervenantFactory

    IntervenantFactory(menage=locataire, utilisateur=programme.ts_adaff)
    url = reverse("logements:dossier_locatif", args=[locataire.pk])
    client.force_login(programme.cesf_habitat)
    assert url in client.get(reverse("dossiers:detail", args=[locataire.pk])).text
    client.force_login(programme.ts_adaff)
    assert url not in client.get(reverse("dossiers:detail", args=[locataire.pk])).text


@pytest.mark.parametrize("persona", ["cesf_habitat", "ts_adaff", "financeur"])
def test_only_caretakers_use_the_report_form(client, programme, persona):
    client.force_login(getattr(programme, persona))
    assert client.get(reverse("logements:signalement")).status_code == 403


def _peupler(programme, n):
    from django.utils import timezone

    from accompagnement.models import TempsFort

    for i in range(n):
        menage = MenageFactory(
            dispositif=programme.dispositif, bailleur=programme.habitat, nom=f"Locataire {i}"
        )
        Reclamation.objects.create(menage=menage, type=TypeReclamation.TECHNIQUE, description="x")
        SoldeLocatif.objects.create(
            menage=menage, mois=timezone.localdate().replace(day=1), solde=Decimal("100.25")
        )
        EtapeExpulsion.objects.create(
            menage=menage, etape=EtapeProcedure.COMMANDEMENT_PAYER, date=datetime.date(2026, 1, 1)
        )
        TempsFort.objects.create(
            menage=menage,
            type="visite_logement",
            modalite="cesf",
            date_prevue=timezone.now() + datetime.timedelta(days=i + 1),
        )


def test_cesf_dashboard_widget(client, programme):
    _peupler(programme, 3)
    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.alogea, nom="Chez ALOGEA")
    Reclamation.objects.create(menage=autre, type=TypeReclamation.TECHNIQUE, description="y")
    client.force_login(programme.cesf_habitat)
    text = client.get(reverse("tableau_de_bord")).text
    assert "3 ménages locataires de votre bailleur, 3 réclamations ouvertes" in text
    assert "Chez ALOGEA" not in text
    assert "300,75\u00a0€" in text  # this month's total
    assert "commandement de payer le 01/01/2026" in text
    assert "visite du logement, <a" in text


def test_cesf_dashboard_counts_every_open_complaint_beyond_those_listed(programme):
    _peupler(programme, selectors.LIGNES_WIDGET + 3)
    Reclamation.objects.update(statut=StatutReclamation.OUVERTE)
    Reclamation.objects.filter(pk=Reclamation.objects.first().pk).update(statut=StatutReclamation.TRAITEE)
    widget = selectors.tableau_cesf(programme.cesf_habitat)
    assert len(widget["reclamations"]) == selectors.LIGNES_WIDGET
    assert widget["nombre_reclamations"] == selectors.LIGNES_WIDGET + 2
    assert widget["nombre_locataires"] == selectors.LIGNES_WIDGET + 3
    Reclamation.objects.update(statut=StatutReclamation.TRAITEE)
    widget = selectors.tableau_cesf(programme.cesf_habitat)
    assert (widget["reclamations"], widget["nombre_reclamations"]) == ([], 0)


def test_cesf_dashboard_counts_her_landlords_tenants_with_or_without_consent_to_share(client, programme):
    """The tenant file is the landlord's own: a tenant who has not agreed to share the social file
    is one of her tenants (and her complaints are counted), though not in « Mes ménages »."""
    _peupler(programme, 2)
    MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, consentements=[])
    MenageFactory(dispositif=programme.dispositif, bailleur=programme.alogea)
    assert selectors.tableau_cesf(programme.cesf_habitat)["nombre_locataires"] == 3
    client.force_login(programme.cesf_habitat)
    text = client.get(reverse("tableau_de_bord")).text
    assert "3 ménages locataires de votre bailleur, 2 réclamations ouvertes" in text


def test_cesf_dashboard_query_count_is_constant(client, programme, count_queries):
    client.force_login(programme.cesf_habitat)
    _peupler(programme, 1)
    one = count_queries(client.get, reverse("tableau_de_bord"))
    _peupler(programme, 15)
    assert count_queries(client.get, reverse("tableau_de_bord")) == one


def test_no_cesf_widget_for_other_roles(client, programme):
    client.force_login(programme.ts_adaff)
    assert "Mes locataires du dispositif" not in client.get(reverse("tableau_de_bord")).text


def test_arrears_show_the_last_24_months_and_the_whole_history_on_demand(client, programme, locataire):
    from dateutil.relativedelta import relativedelta

    debut = datetime.date(2023, 1, 1)
    for k in range(30):
        SoldeLocatif.objects.create(menage=locataire, mois=debut + relativedelta(months=k), solde=Decimal(k))
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:dossier_locatif", args=[locataire.pk])
    response = client.get(url)
    soldes = response.context["soldes"]
    assert len(soldes) == 24 and soldes[0].mois == datetime.date(2023, 7, 1)
    assert soldes[-1].mois == datetime.date(2025, 6, 1)
    assert response.text.count("<rect ") == 24
    assert "sur les 24 derniers mois" in response.text
    assert "?historique=tout" in response.text
    response = client.get(url + "?historique=tout")
    assert len(response.context["soldes"]) == 30
    assert response.text.count("<rect ") == 30
    assert "N’afficher que les 24 derniers mois" in response.text
    # Up to 24 months recorded: all of them, no link.
    SoldeLocatif.objects.filter(mois__lt=datetime.date(2023, 7, 1)).delete()
    response = client.get(url)
    assert len(response.context["soldes"]) == 24 and "?historique=tout" not in response.text


@pytest.mark.parametrize("persona", ["cesf_habitat", "admin", "ts_adaff", "gardien_habitat", "financeur"])
def test_records_of_one_file_are_those_visible_to_the_user(programme, locataire, persona):
    from logements.models import AideFsl, PlanApurement, SignalementGardien

    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    for menage in (locataire, autre):
        _soldes(menage, ["10", "20"])
        Reclamation.objects.create(menage=menage, type=TypeReclamation.TECHNIQUE, description="x")
        SignalementGardien.objects.create(menage=menage, nature=TypeReclamation.HYGIENE, texte="y")
        PlanApurement.objects.create(
            menage=menage, date_debut=datetime.date(2026, 1, 1), montant_dette=100, mensualite=10
        )
        AideFsl.objects.create(menage=menage, date_demande=datetime.date(2026, 1, 1), montant=100)
        EtapeExpulsion.objects.create(menage=menage, etape="saisine_ccapex", date=datetime.date(2026, 1, 1))
    user = getattr(programme, persona)
    for model in (SoldeLocatif, Reclamation, SignalementGardien, PlanApurement, AideFsl, EtapeExpulsion):
        attendu = set(model.objects.visible_to(user).filter(menage=locataire))
        assert set(model.objects.du_menage(locataire, user)) == attendu, model


def test_cesf_widget_of_someone_who_sees_no_tenant_file(programme):
    # Some of the widget's selections are then known to be empty (Django leaves them out of the
    # UNION): what is left must still be read in its own order.
    _peupler(programme, 2)
    widget = selectors.tableau_cesf(programme.financeur)
    assert (widget["nombre_reclamations"], widget["reclamations"], widget["procedures"]) == (0, [], [])
    assert widget["temps_forts"] == [] and len(widget["tendance"]) == selectors.MOIS_TENDANCE


def test_cesf_widget_compiled_once_reads_what_her_access_rules_give(programme):
    """A landlord's CESF's widget is read with SQL compiled once for her landlord, programmes and
    month (`WIDGET_CESF`): the same as the selections built from her own rules (`visible_to`), which
    a database without limits inside a UNION reads in turn."""
    from unittest import mock

    from django.db import connection

    _peupler(programme, selectors.LIGNES_WIDGET + 2)
    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.alogea, nom="Chez ALOGEA")
    Reclamation.objects.create(menage=autre, type=TypeReclamation.TECHNIQUE, description="y")
    EtapeExpulsion.objects.create(
        menage=autre, etape=EtapeProcedure.COMMANDEMENT_PAYER, date=datetime.date(2026, 2, 1)
    )
    premier = Reclamation.objects.filter(menage__bailleur=programme.habitat).first().menage
    EtapeExpulsion.objects.create(menage=premier, etape="saisine_ccapex", date=datetime.date(2026, 3, 1))

    def lu(widget):
        return {
            "nombre_locataires": widget["nombre_locataires"],
            "nombre_reclamations": widget["nombre_reclamations"],
            "reclamations": [(r.pk, r.menage.nom, r.type, r.date) for r in widget["reclamations"]],
            "procedures": [(m.pk, m.nom, etape, date) for m, etape, date in widget["procedures"]],
            "temps_forts": [(t.pk, t.menage.nom, t.date_prevue) for t in widget["temps_forts"]],
            "tendance": widget["tendance"],
        }

    cesf = programme.cesf_habitat
    widget = lu(selectors.tableau_cesf(cesf))
    with mock.patch.object(type(connection.features), "supports_slicing_ordering_in_compound", False):
        assert lu(selectors.tableau_cesf(cesf)) == widget
    assert widget["nombre_locataires"] == selectors.LIGNES_WIDGET + 2
    assert widget["nombre_reclamations"] == selectors.LIGNES_WIDGET + 2
    assert "Chez ALOGEA" not in {nom for _, nom, *_ in widget["reclamations"] + widget["procedures"]}
    assert widget["procedures"][0][2:] == ("Saisine de la CCAPEX", datetime.date(2026, 3, 1))
    assert len(widget["temps_forts"]) == selectors.LIGNES_WIDGET
