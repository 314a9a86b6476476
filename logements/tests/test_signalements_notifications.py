"""Information flows both ways: the caretaker reports from a dwelling (never a list of households,
never learning who is in the programme); a report, a new complaint or an eviction step notifies the
landlord's CESF and the household's referent worker within their scopes, by reference and link
only; the CESF's dashboard shows what is new since her last visit; the referent sees a summary of
the tenant file on the household file."""

import datetime
import re

import pytest
from django.urls import reverse

from logements import services
from logements.enums import DecisionCal, EtapeProcedure, TypeReclamation
from logements.models import Attribution, Reclamation, SignalementGardien, SoldeLocatif
from logements.tests.factories import LogementFactory, logements_en_masse
from menages.enums import TypeIntervention
from menages.tests.factories import IntervenantFactory, MenageFactory
from rappels.enums import TypeRappel
from rappels.models import Rappel


@pytest.fixture
def locataire(programme):
    menage = MenageFactory(
        dispositif=programme.dispositif,
        bailleur=programme.habitat,
        nom="Famille Martin",
        date_adhesion=datetime.date(2026, 1, 5),
    )
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    return menage


@pytest.fixture
def logement_occupe(programme, locataire):
    """A dwelling of Habitat Audois where the programme household lives."""
    logement = LogementFactory(bailleur=programme.habitat, adresse="12 rue des Lilas")
    Attribution.objects.create(
        menage=locataire,
        logement=logement,
        canal="rotation",
        decision_cal=DecisionCal.ACCEPTEE,
        date_cal=datetime.date(2026, 2, 1),
        date_entree=datetime.date(2026, 3, 1),
        auteur=programme.admin,
    )
    return logement


@pytest.fixture
def logement_libre(programme, logement_occupe):
    """A dwelling of the same landlord where no household of the programme lives."""
    return LogementFactory(
        bailleur=programme.habitat, adresse="14 rue des Lilas", commune=logement_occupe.commune
    )


def _notifies(type_=TypeRappel.DOSSIER_LOCATIF):
    return {r.destinataire_id: r for r in Rappel.objects.filter(type=type_)}


# The caretaker's search and report


def test_caretaker_finds_dwellings_by_address_without_any_household(
    client, programme, logement_occupe, logement_libre
):
    LogementFactory(bailleur=programme.alogea, adresse="16 rue des Lilas")  # the other landlord
    client.force_login(programme.gardien_habitat)
    url = reverse("logements:signalement")
    assert url in client.get(reverse("tableau_de_bord")).text
    page = client.get(url).text
    assert "Famille Martin" not in page and "12 rue des Lilas" not in page  # nothing before a search
    response = client.get(url, {"q": "lilas"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text  # the results alone, for htmx
    assert "12 rue des Lilas" in response.text and "14 rue des Lilas" in response.text
    assert "16 rue des Lilas" not in response.text  # not his landlord's
    assert "Famille Martin" not in response.text and "ASEA-" not in response.text
    assert "2 logements trouvés." in response.text


def test_a_search_with_a_nul_byte_is_an_ordinary_search(client, programme, logement_occupe):
    client.force_login(programme.gardien_habitat)
    response = client.get(reverse("logements:signalement"), {"q": "lilas\x00"})
    assert response.status_code == 200 and "12 rue des Lilas" in response.text


def test_search_results_and_confirmation_do_not_reveal_who_is_in_the_programme(
    client, programme, logement_occupe, logement_libre
):
    client.force_login(programme.gardien_habitat)

    def sans_adresse(text, logement):
        text = text.replace(logement.adresse, "ADRESSE").replace(logement.reference_bailleur, "REF")
        return re.sub(r"/(\d+)/", "/N/", re.sub(r"[A-Za-z0-9]{64}", "CSRF", text))

    for vue in ("logements:signalement_logement",):
        pages = [
            sans_adresse(client.get(reverse(vue, args=[lg.pk])).text, lg)
            for lg in (logement_occupe, logement_libre)
        ]
        assert pages[0] == pages[1]
    confirmations = []
    for logement in (logement_occupe, logement_libre):
        response = client.post(
            reverse("logements:signalement_logement", args=[logement.pk]),
            {"date": "2026-06-10", "nature": "troubles_voisinage", "texte": "Dispute dans l’escalier"},
            follow=True,
        )
        assert response.redirect_chain[-1][1] == 302
        confirmations.append(sans_adresse(response.text, logement))
    assert confirmations[0] == confirmations[1]
    assert "Famille Martin" not in confirmations[0]
    # Behind the identical pages: one report in the household's file, one on the dwelling only.
    occupe, libre = (SignalementGardien.objects.get(logement=lg) for lg in (logement_occupe, logement_libre))
    assert occupe.menage.nom == "Famille Martin" and libre.menage is None


def test_caretaker_cannot_report_on_another_landlords_dwelling(client, programme, logement_occupe):
    autre = LogementFactory(bailleur=programme.alogea)
    client.force_login(programme.gardien_habitat)
    url = reverse("logements:signalement_logement", args=[autre.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"date": "2026-06-10", "nature": "hygiene", "texte": "x"}).status_code == 404
    assert not SignalementGardien.objects.exists()


def test_report_with_bad_input_keeps_the_text(client, programme, logement_occupe):
    client.force_login(programme.gardien_habitat)
    response = client.post(
        reverse("logements:signalement_logement", args=[logement_occupe.pk]),
        {"date": "pas une date", "nature": "hygiene", "texte": "Odeurs dans la cage d’escalier"},
    )
    assert response.status_code == 200
    assert "Saisissez une date valide" in response.text
    assert "Odeurs dans la cage d’escalier" in response.text
    assert not SignalementGardien.objects.exists()


@pytest.mark.parametrize("persona", ["cesf_habitat", "ts_adaff", "financeur"])
def test_only_caretakers_search_dwellings_to_report(client, programme, logement_occupe, persona):
    client.force_login(getattr(programme, persona))
    assert client.get(reverse("logements:signalement"), {"q": "lilas"}).status_code == 403
    assert client.get(reverse("logements:signalement_logement", args=[logement_occupe.pk])).status_code == 403


def test_caretaker_search_query_count_does_not_grow_with_the_stock(
    client, programme, logement_occupe, count_queries
):
    client.force_login(programme.gardien_habitat)
    url = reverse("logements:signalement")
    one = count_queries(client.get, url, {"q": "rue"})
    logements_en_masse(programme.habitat, logement_occupe.commune, 300)
    for _ in range(5):
        MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    response = client.get(url, {"q": "rue"})
    assert response.context["page"].paginator.count == 301
    assert len(response.context["page"].object_list) == 10  # paginated
    assert count_queries(client.get, url, {"q": "rue"}) == one


# Notifications


def test_caretaker_report_notifies_the_cesf_and_the_referent_by_reference_only(
    programme, logement_occupe, locataire
):
    services.enregistrer_signalement(
        logement=logement_occupe,
        date=datetime.date(2026, 6, 10),
        nature=TypeReclamation.TROUBLES_VOISINAGE,
        texte="Dispute",
        auteur=programme.gardien_habitat,
    )
    notifies = _notifies()
    assert set(notifies) == {programme.cesf_habitat.pk, programme.ts_adaff.pk}
    cesf, referent = notifies[programme.cesf_habitat.pk], notifies[programme.ts_adaff.pk]
    assert cesf.titre == f"Signalement du gardien – dossier {locataire.reference}"
    assert cesf.lien == reverse("logements:dossier_locatif", args=[locataire.pk])
    assert referent.lien == reverse("dossiers:detail", args=[locataire.pk])
    for rappel in notifies.values():
        assert "Martin" not in rappel.titre


def test_report_on_a_dwelling_outside_the_programme_reaches_the_cesf_only(client, programme, logement_libre):
    signalement = services.enregistrer_signalement(
        logement=logement_libre,
        date=datetime.date(2026, 6, 10),
        nature=TypeReclamation.TECHNIQUE,
        texte="Fuite",
        auteur=programme.gardien_habitat,
    )
    notifies = _notifies()
    assert set(notifies) == {programme.cesf_habitat.pk}
    lien = notifies[programme.cesf_habitat.pk].lien
    assert lien == reverse("logements:clore", args=["signalement", signalement.pk])
    assert logement_libre.reference_bailleur in notifies[programme.cesf_habitat.pk].titre
    # She reads it there and closes it; the other landlord's CESF may not.
    client.force_login(programme.cesf_alogea)
    assert client.get(lien).status_code == 404
    client.force_login(programme.cesf_habitat)
    assert "Fuite" in client.get(lien).text
    response = client.post(lien, {"date_cloture": "2026-06-11", "resolution": "Plombier passé."})
    assert response.status_code == 302
    signalement.refresh_from_db()
    assert (signalement.statut, signalement.resolution) == ("traitee", "Plombier passé.")


def test_new_complaint_notifies_the_referent_not_its_author(programme, locataire):
    services.enregistrer_reclamation(
        menage=locataire,
        type=TypeReclamation.TECHNIQUE,
        date=datetime.date(2026, 6, 1),
        description="Fuite",
        auteur=programme.cesf_habitat,
    )
    notifies = _notifies()
    assert set(notifies) == {programme.ts_adaff.pk}
    assert notifies[programme.ts_adaff.pk].titre == f"Nouvelle réclamation – dossier {locataire.reference}"


def test_eviction_step_notifies_cesf_and_referent(programme, locataire):
    services.enregistrer_etape_expulsion(
        menage=locataire,
        etape=EtapeProcedure.ASSIGNATION,
        date=datetime.date(2026, 6, 1),
        auteur=programme.admin,
    )
    notifies = _notifies()
    assert set(notifies) == {programme.cesf_habitat.pk, programme.ts_adaff.pk}
    assert notifies[programme.cesf_habitat.pk].titre == (
        f"Procédure d’expulsion\u00a0: assignation – dossier {locataire.reference}"
    )


def test_nobody_outside_the_scope_is_notified(programme, locataire):
    from comptes.enums import Role
    from comptes.tests.factories import user_with_role

    # A referent whose intervention has ended, a CESF of the other landlord named as intervenant by
    # mistake, a social worker of an organisation that does not intervene on the household.
    ancien = user_with_role(Role.TRAVAILLEUR_SOCIAL, programme.adaff, username="ancien.referent")
    IntervenantFactory(
        menage=locataire,
        utilisateur=ancien,
        date_debut=datetime.date(2025, 1, 1),
        date_fin=datetime.date(2025, 12, 31),
    )
    IntervenantFactory(menage=locataire, type=TypeIntervention.CESF, utilisateur=programme.cesf_alogea)
    IntervenantFactory(menage=locataire, type=TypeIntervention.CESF, utilisateur=programme.cesf_habitat)
    services.enregistrer_reclamation(
        menage=locataire,
        type=TypeReclamation.HYGIENE,
        date=datetime.date(2026, 6, 1),
        description="x",
        auteur=programme.admin,
    )
    assert set(_notifies()) == {programme.cesf_habitat.pk, programme.ts_adaff.pk}


# What the CESF and the referent see


def test_cesf_dashboard_shows_what_is_new_since_her_last_visit(client, programme, logement_occupe, locataire):
    from rappels.models import VisiteTableauDeBord

    client.force_login(programme.cesf_habitat)
    accueil = reverse("tableau_de_bord")
    assert "Rien de nouveau depuis votre dernière visite." in client.get(accueil).text
    services.enregistrer_signalement(
        logement=logement_occupe,
        date=datetime.date(2026, 6, 10),
        nature=TypeReclamation.TROUBLES_VOISINAGE,
        texte="Dispute",
        auteur=programme.gardien_habitat,
    )
    # A later visit (more than half an hour after the first one).
    VisiteTableauDeBord.objects.update(derniere=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    text = client.get(accueil).text
    assert f"Signalement du gardien – dossier {locataire.reference}" in text
    assert "Nouveau</span>" in text
    assert "Depuis votre dernière visite, le 01/01/2026" in text
    # Reloaded within the same visit: still shown.
    assert f"dossier {locataire.reference}" in client.get(accueil).text
    # Read, and a visit later: no longer new.
    Rappel.objects.update(lu_le=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC))
    Rappel.objects.update(du_le=datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC))
    VisiteTableauDeBord.objects.update(derniere=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC))
    assert "Rien de nouveau depuis votre dernière visite." in client.get(accueil).text


def test_cesf_dashboard_query_count_does_not_grow_with_news(client, programme, locataire, count_queries):
    client.force_login(programme.cesf_habitat)
    accueil = reverse("tableau_de_bord")
    client.get(accueil)
    one = count_queries(client.get, accueil)
    for i in range(12):
        services.enregistrer_etape_expulsion(
            menage=MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat),
            etape=EtapeProcedure.SAISINE_CCAPEX,
            date=datetime.date(2026, 6, 1 + i),
            auteur=programme.admin,
        )
    assert Rappel.objects.filter(destinataire=programme.cesf_habitat).count() == 12
    assert count_queries(client.get, accueil) == one


def test_cesf_dashboard_menu_counts_every_unread_notification_with_the_news(client, programme, locataire):
    # The menu's unread count comes from the dashboard's news query (one query for both): it must
    # stay the count of all her unread notifications, of any kind, beyond the news listed.
    from rappels.notifications import NOUVEAUTES_AFFICHEES

    cesf = programme.cesf_habitat
    client.force_login(cesf)
    accueil = reverse("tableau_de_bord")
    client.get(accueil)
    for i in range(NOUVEAUTES_AFFICHEES + 3):
        services.enregistrer_etape_expulsion(
            menage=MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat),
            etape=EtapeProcedure.SAISINE_CCAPEX,
            date=datetime.date(2026, 6, 1 + i),
            auteur=programme.admin,
        )
    Rappel.objects.filter(pk=Rappel.objects.filter(destinataire=cesf).order_by("pk").first().pk).update(
        lu_le=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    )
    Rappel.objects.create(cle="autre", type=TypeRappel.REVUE_OBJECTIF, destinataire=cesf, titre="Autre")
    Rappel.objects.create(
        cle="autre-lu",
        type=TypeRappel.REVUE_OBJECTIF,
        destinataire=cesf,
        titre="Lu",
        lu_le=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
    )
    response = client.get(accueil)
    attendu = Rappel.objects.pour(cesf).non_lus().count()
    assert attendu == NOUVEAUTES_AFFICHEES + 3
    assert response.context["notifications_non_lues"] == attendu
    nouveautes = response.context["nouveautes"]["rappels"]
    assert len(nouveautes) == NOUVEAUTES_AFFICHEES
    assert all(r.titre != "Autre" for r in nouveautes)
    assert [r.du_le for r in nouveautes] == sorted((r.du_le for r in nouveautes), reverse=True)
    # Elsewhere the menu counts them itself.
    assert client.get(reverse("rappels:centre")).context["notifications_non_lues"] == attendu


def test_referent_sees_a_summary_of_the_tenant_file_on_the_household_file(client, programme, locataire):
    for mois, solde in ((4, "120"), (5, "260.50"), (6, "410")):
        SoldeLocatif.objects.create(menage=locataire, mois=datetime.date(2026, mois, 1), solde=solde)
    Reclamation.objects.create(
        menage=locataire, type="technique", date=datetime.date(2026, 6, 2), description="Secret"
    )
    services.enregistrer_etape_expulsion(
        menage=locataire,
        etape=EtapeProcedure.COMMANDEMENT_PAYER,
        date=datetime.date(2026, 6, 3),
        auteur=programme.admin,
    )
    client.force_login(programme.ts_adaff)
    text = client.get(reverse("dossiers:detail", args=[locataire.pk])).text
    assert "Dossier locatif (synthèse)" in text
    assert "<strong>en hausse</strong>, 410" in text and "€ en juin 2026." in text
    assert "Technique, le 02/06/2026 (ouverte)" in text
    assert "Secret" not in text  # figures and steps, not the tenant file's free text
    assert "Dernière étape&nbsp;: commandement de payer, le 03/06/2026." in text


def test_no_summary_before_the_households_adhesion_nor_for_other_roles(client, programme, locataire):

    IntervenantFactory(menage=locataire, type=TypeIntervention.TISF, utilisateur=programme.tisf_afc)
    client.force_login(programme.tisf_afc)
    assert (
        "Dossier locatif (synthèse)" not in client.get(reverse("dossiers:detail", args=[locataire.pk])).text
    )
    type(locataire).objects.filter(pk=locataire.pk).update(date_adhesion=None)
    client.force_login(programme.ts_adaff)
    text = client.get(reverse("dossiers:detail", args=[locataire.pk])).text
    assert "s’affiche une fois l’adhésion du ménage" in text and "Tendance" not in text


def test_household_file_summary_query_count_does_not_grow(client, programme, locataire, count_queries):
    client.force_login(programme.ts_adaff)
    url = reverse("dossiers:detail", args=[locataire.pk])
    SoldeLocatif.objects.create(menage=locataire, mois=datetime.date(2026, 1, 1), solde="10")
    one = count_queries(client.get, url)
    for i in range(2, 10):
        SoldeLocatif.objects.create(menage=locataire, mois=datetime.date(2026, i, 1), solde="10")
        Reclamation.objects.create(
            menage=locataire, type="technique", date=datetime.date(2026, i, 2), description="x"
        )
    assert count_queries(client.get, url) == one
