"""The chair's decision form by decision type, its confirmation page, the agenda navigation from
an item, and the referent's case summary (with initials) on the item's page and documents."""

import datetime
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accompagnement.models import Accompagnement
from accompagnement.tests.factories import AccompagnementFactory
from comites import services
from comites.models import DemandeComite, PointOrdreDuJour
from comites.tests.factories import PointOrdreDuJourFactory
from comites.tests.test_comites import all_present, proposition
from menages.enums import EtatParcours, Probleme, TypeIntervention
from menages.models import ProblemeMenage
from menages.tests.factories import IntervenantFactory, MembreFactory, MenageFactory, RessourceFactory


def decision(client, point, **data):
    return client.post(point.get_absolute_url(), {"action": "decision", **data})


@pytest.fixture
def a_decider(programme, seance):
    """A new proposal on the agenda, quorum reached."""
    proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    return point


@pytest.fixture
def en_cours(programme, seance):
    """A household in support at level 2 with a request to the committee on the agenda."""
    acc = AccompagnementFactory(
        menage=MenageFactory(
            dispositif=programme.dispositif, bailleur=programme.habitat, en_accompagnement=True
        )
    )
    IntervenantFactory(menage=acc.menage, utilisateur=programme.ts_adaff)
    DemandeComite.objects.create(menage=acc.menage, type="sortie", motif="x", auteur=programme.ts_adaff)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    return point


@pytest.mark.parametrize(
    ("data", "champ", "message"),
    [
        ({"decision": "valider"}, "niveau", "Indiquez le niveau décidé."),
        ({"decision": "refuser"}, "commentaire", "Indiquez le motif du refus."),
        (
            {"decision": "ajourner", "commentaire": "  "},
            "commentaire",
            "Indiquez pourquoi le point est ajourné.",
        ),
    ],
)
def test_a_proposal_decision_asks_for_its_own_fields(client, programme, a_decider, data, champ, message):
    client.force_login(programme.comite)
    response = decision(client, a_decider, **data)
    assert response.status_code == 200
    assert response.context["decision_form"].errors[champ] == [message]
    a_decider.refresh_from_db()
    assert not a_decider.est_decide and not Accompagnement.objects.exists()


@pytest.mark.parametrize(
    ("data", "erreurs"),
    [
        ({"decision": "renouveler"}, {"duree_mois": "Indiquez la durée du renouvellement."}),
        ({"decision": "changer_niveau"}, {"niveau": "Indiquez le nouveau niveau."}),
        (
            {"decision": "ajouter_iml"},
            {
                "iml_partenaire": "Indiquez le partenaire de l’IML.",
                "iml_forme": "Indiquez la forme de l’IML.",
            },
        ),
        (
            {"decision": "terminer", "commentaire": "Relogée"},
            {
                "motif_sortie": "Indiquez le motif de sortie.",
                "situation_sortie": "Indiquez la situation de logement à la sortie.",
            },
        ),
        (
            {"decision": "changer_niveau", "niveau": "niveau_3", "iml_forme": "sous_location"},
            {"iml_partenaire": "Indiquez le partenaire, la forme et le début du contrat d’IML."},
        ),
    ],
)
def test_a_decision_on_a_support_asks_for_its_own_fields(client, programme, en_cours, data, erreurs):
    client.force_login(programme.comite)
    response = decision(client, en_cours, **data)
    form = response.context["decision_form"]
    for champ, message in erreurs.items():
        assert message in form.errors[champ]
    assert message in response.text  # beside the field
    assert response.context["decision_form"]["commentaire"].value() == data.get("commentaire")
    en_cours.refresh_from_db()
    assert not en_cours.est_decide


def test_fields_follow_the_decision_with_htmx_and_without(client, programme, en_cours):
    client.force_login(programme.comite)
    page = client.get(en_cours.get_absolute_url())
    # The item asks for an exit: the exit's fields first; a proposal's decision is not offered.
    assert page.context["decision_form"].decision == "terminer"
    assert "Motif de sortie" in page.text and 'value="valider"' not in page.text
    assert f'hx-get="{en_cours.get_absolute_url()}"' in page.text
    partiel = client.get(
        en_cours.get_absolute_url(), {"decision": "ajouter_iml"}, headers={"HX-Request": "true"}
    )
    assert partiel.text.lstrip().startswith('<div id="champs-decision"')
    assert "Partenaire IML" in partiel.text and "Motif de sortie" not in partiel.text
    assert "<html" not in partiel.text
    # Without JavaScript: the button posts the decision chosen and gets its fields, nothing else.
    sans_js = client.post(
        en_cours.get_absolute_url(), {"action": "decision", "decision": "renouveler", "choisir": "1"}
    )
    assert sans_js.status_code == 200 and not sans_js.context["decision_form"].errors
    assert "Durée du renouvellement (mois)" in sans_js.text and "Motif de sortie" not in sans_js.text
    en_cours.refresh_from_db()
    assert not en_cours.est_decide


def test_other_members_get_no_fields_nor_a_decision(client, programme, en_cours):
    client.force_login(programme.financeur)
    assert client.get(en_cours.get_absolute_url()).context["decision_form"] is None
    response = client.get(
        en_cours.get_absolute_url(), {"decision": "terminer"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert decision(client, en_cours, decision="ajourner", commentaire="x").status_code == 403
    assert client.get(reverse("comites:point_decider", args=[en_cours.pk])).status_code == 403


def test_a_decision_is_applied_only_after_its_confirmation(client, programme, seance, a_decider):
    suivant = PointOrdreDuJour.objects.create(
        seance=seance, menage=proposition(programme, "Bonnet Zoé"), type="nouvelle_proposition", ordre=9
    )
    client.force_login(programme.comite)
    url = reverse("comites:point_decider", args=[a_decider.pk])
    response = decision(client, a_decider, decision="valider", niveau="niveau_2", duree_mois="6")
    assert response.status_code == 302 and response.url == url
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    jour = f"{a_decider.seance.date.astimezone().date():%d/%m/%Y}"
    assert f"L’accompagnement commence le {jour} au Niveau 2" in confirmation.text
    # A committee member who may not open the file reads initials here too.
    assert "D. H." in confirmation.text and "Durand" not in confirmation.text
    assert a_decider.menage.reference in confirmation.text
    assert str(programme.ts_adaff) in confirmation.text  # who will read it in the file
    # Neither the form's post nor the confirmation page changed anything.
    a_decider.refresh_from_db()
    a_decider.menage.refresh_from_db()
    assert not a_decider.est_decide and a_decider.menage.etat == EtatParcours.PROPOSITION_COMITE
    assert not Accompagnement.objects.exists()

    response = client.post(url)
    assert response.status_code == 302 and response.url == suivant.get_absolute_url()
    a_decider.refresh_from_db()
    assert a_decider.decision == "valider" and a_decider.decision_niveau == "niveau_2"
    assert Accompagnement.objects.get().changements_niveau.get().decision == a_decider
    # Posted again: already decided, nothing more.
    assert client.post(url).status_code == 302
    assert Accompagnement.objects.count() == 1


def test_confirmation_without_a_chosen_decision_goes_back_to_the_item(client, programme, a_decider):
    client.force_login(programme.comite)
    response = client.post(reverse("comites:point_decider", args=[a_decider.pk]))
    assert response.status_code == 302 and response.url == a_decider.get_absolute_url()
    a_decider.refresh_from_db()
    assert not a_decider.est_decide


def test_after_the_last_decision_back_to_the_agenda(client, programme, a_decider):
    client.force_login(programme.comite)
    decision(client, a_decider, decision="ajourner", commentaire="Pièces manquantes")
    response = client.post(reverse("comites:point_decider", args=[a_decider.pk]))
    assert response.url == f"{a_decider.seance.get_absolute_url()}#ordre-du-jour"
    a_decider.refresh_from_db()
    assert a_decider.decision == "ajourner" and a_decider.decision_commentaire == "Pièces manquantes"


def test_item_page_links_to_the_previous_and_next_items(client, programme, seance):
    points = [
        PointOrdreDuJour.objects.create(
            seance=seance, menage=MenageFactory(dispositif=programme.dispositif), type="autre", ordre=i
        )
        for i in (1, 2, 3)
    ]
    client.force_login(programme.comite)
    premier = client.get(points[0].get_absolute_url())
    assert premier.context["precedent"] is None and premier.context["suivant"] == points[1]
    milieu = client.get(points[1].get_absolute_url())
    assert milieu.context["precedent"] == points[0] and milieu.context["suivant"] == points[2]
    assert f'href="{points[2].get_absolute_url()}" rel="next"' in milieu.text
    assert client.get(points[2].get_absolute_url()).context["suivant"] is None


# The chair's item page: the item with its household; the access log; in one round trip the
# chair's membership, the opinions, the agenda's ids, the household's members, diagnostics,
# resources, debts and difficulties, its support in progress and the objectives; the quorum; the
# partners of the decision form; plus the layout's own; the current programme's id, read once for
# every access rule of the page. Elsewhere than on PostgreSQL, the records read in one round trip
# are a query each (comptes.lecture).
REQUETES_PAGE_POINT = 13 if connection.vendor == "postgresql" else 22


def test_item_page_query_count_does_not_grow_with_rows(
    client, programme, seance, count_queries, django_assert_max_num_queries
):
    proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    point.synthese_niveau = "Dettes anciennes de Durand Hélène"
    point.synthese_objectifs = "Que durand hélène garde son logement."
    point.save()
    client.force_login(programme.comite)
    with django_assert_max_num_queries(REQUETES_PAGE_POINT):
        une = count_queries(client.get, point.get_absolute_url() + "?initiales=1")
    for i in range(10):
        proposition(programme, f"Famille {i}")
    services.construire_ordre_du_jour(seance=seance)
    for user in (programme.financeur, programme.cesf_habitat, programme.comite):
        services.donner_avis(point=point, user=user, avis="favorable", commentaire="Oui")
    MembreFactory.create_batch(4, menage=point.menage)
    RessourceFactory.create_batch(3, menage=point.menage, montant_mensuel=Decimal("100.50"))
    for code in list(Probleme)[:3]:
        ProblemeMenage.objects.create(menage=point.menage, code=code)
    response = client.get(point.get_absolute_url() + "?initiales=1")
    assert count_queries(client.get, point.get_absolute_url() + "?initiales=1") <= une
    # The summary's sums and difficulties, read with the household.
    faits = response.context["resume"]["faits"]
    assert faits["ressources_mensuelles"] == Decimal("301.50")
    assert faits["problemes"] == [p.label for p in list(Probleme)[:3]]
    assert [texte for _titre, texte in response.context["synthese"]] == [
        "Dettes anciennes de D. H.",
        "Que D. H. garde son logement.",
    ]


def test_item_page_shows_the_support_in_progress_read_with_the_item(client, programme, en_cours):
    """The support in progress comes with the item's query: its level and dates as before."""
    acc = Accompagnement.objects.get(menage=en_cours.menage)
    AccompagnementFactory(
        menage=en_cours.menage,
        date_debut=acc.date_debut - datetime.timedelta(days=400),
        date_fin=acc.date_debut - datetime.timedelta(days=1),
        niveau_1=True,
    )
    client.force_login(programme.comite)
    response = client.get(en_cours.get_absolute_url())
    lu = response.context["resume"]["accompagnement"]
    assert (lu.pk, lu.niveau, lu.date_debut, lu.date_fin_prevue) == (
        acc.pk,
        acc.niveau,
        acc.date_debut,
        acc.date_fin_prevue,
    )
    assert (
        f"Accompagnement en cours : {acc.get_niveau_display()}, du {acc.date_debut:%d/%m/%Y} "
        f"au {acc.date_fin_prevue:%d/%m/%Y} (prévu)."
    ) in response.text
    acc.date_fin = acc.date_debut
    acc.save()
    assert client.get(en_cours.get_absolute_url()).context["resume"]["accompagnement"] is None


def test_item_page_reads_the_readers_membership_once(client, programme, seance):
    """The opinion form, the decision form and their rules all ask for the reader's membership of
    the body: it is read once per request (comptes.memo), and the reader's own opinion comes with
    the list of opinions."""
    proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    services.donner_avis(point=point, user=programme.comite, avis="favorable", commentaire="Oui")
    client.force_login(programme.comite)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(point.get_absolute_url())
    assert response.context["avis_form"].initial["avis"] == "favorable"
    lectures = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
    mandats = [q for q in lectures if 'FROM "comites_membreinstance"' in q and '"utilisateur_id" =' in q]
    # One to open the committees' section (any body), one for this body.
    assert len(mandats) == 2
    assert len([q for q in lectures if 'FROM "comites_avismembre"' in q]) == 1
    # Previous and next items: the ids of the session's agenda, read once (with the opinions, on
    # PostgreSQL).
    agenda = 'SELECT "comites_pointordredujour"."id" AS "pk" FROM "comites_pointordredujour" WHERE'
    assert sum(q["sql"].count(agenda) for q in ctx.captured_queries) == 1


# The referent's case summary.


def synthese_url(point):
    return reverse("comites:point_synthese", args=[point.pk])


def test_the_referent_writes_the_summary_the_committee_reads_it(client, programme, a_decider):
    client.force_login(programme.ts_adaff)
    assert "Rédiger la synthèse pour le comité" in client.get(a_decider.menage.get_absolute_url()).text
    response = client.post(
        synthese_url(a_decider),
        {
            "synthese_niveau": "Dettes de loyer et isolement",
            "synthese_objectifs": "Plan d’apurement",
            "synthese_iml": "",
        },
    )
    assert response.status_code == 302
    a_decider.refresh_from_db()
    assert (
        a_decider.synthese_par == programme.ts_adaff
        and a_decider.synthese_niveau == "Dettes de loyer et isolement"
    )
    client.force_login(programme.financeur)
    page = client.get(a_decider.get_absolute_url())
    assert "Dettes de loyer et isolement" in page.text and "Plan d’apurement" in page.text
    assert "Pourquoi une intermédiation locative" not in page.text
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(a_decider.pk), actor=programme.financeur
    ).exists()


@pytest.mark.parametrize(("persona", "status"), [("cesf_alogea", 404), ("financeur", 404), ("comite", 404)])
def test_who_may_not_see_the_household_gets_404_on_the_summary(client, programme, a_decider, persona, status):
    client.force_login(getattr(programme, persona))
    assert client.get(synthese_url(a_decider)).status_code == status
    assert client.post(synthese_url(a_decider), {"synthese_niveau": "x"}).status_code == status
    a_decider.refresh_from_db()
    assert a_decider.synthese_niveau == ""


def test_who_sees_the_household_without_being_its_referent_gets_403(client, programme, a_decider):
    IntervenantFactory(
        menage=a_decider.menage, utilisateur=programme.ts_hdm, type=TypeIntervention.TRAVAILLEUR_SOCIAL_IML
    )
    for persona in ("ts_hdm", "cesf_habitat"):
        client.force_login(getattr(programme, persona))
        assert client.get(a_decider.menage.get_absolute_url()).status_code == 200, persona
        assert client.get(synthese_url(a_decider)).status_code == 403, persona
        assert client.post(synthese_url(a_decider), {"synthese_niveau": "x"}).status_code == 403
    a_decider.refresh_from_db()
    assert a_decider.synthese_niveau == ""


def test_the_summary_no_longer_changes_once_decided(client, programme, a_decider):
    services.decider(point=a_decider, decision="ajourner", commentaire="x", auteur=programme.comite)
    client.force_login(programme.ts_adaff)
    assert client.post(synthese_url(a_decider), {"synthese_niveau": "x"}).status_code == 403


def test_initials_chosen_by_the_referent_replace_names_everywhere_the_committee_reads(
    client, programme, seance, a_decider, django_capture_on_commit_callbacks
):
    menage = a_decider.menage
    MembreFactory(menage=menage, nom="Durand", prenom="Hélène")
    client.force_login(programme.ts_adaff)
    client.post(
        synthese_url(a_decider),
        {
            "synthese_niveau": "Mme Hélène Durand a repris contact avec la CAF.",
            "synthese_objectifs": "Que Durand Hélène ouvre ses droits.",
            "synthese_initiales": "on",
        },
    )
    # cesf_habitat sits on the committee and may see her own landlord's household's name.
    client.force_login(programme.cesf_habitat)
    for url in (a_decider.get_absolute_url(), seance.get_absolute_url()):
        texte = client.get(url).text
        assert "Durand" not in texte and "Hélène" not in texte, url
        assert "D. H." in texte
    page = client.get(a_decider.get_absolute_url()).text
    assert "Mme H. D. a repris contact avec la CAF." in page
    assert "afficher le nom" not in page  # the referent's choice is not undone here

    pdf = client.get(reverse("comites:ordre_du_jour", args=[seance.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    texte = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "H. D. a repris contact avec la CAF" in texte and "Que D. H. ouvre ses droits" in texte
    assert "Durand" not in texte and "Hélène" not in texte

    client.force_login(programme.comite)
    decision(client, a_decider, decision="ajourner", commentaire="Attendre la CAF")
    client.post(reverse("comites:point_decider", args=[a_decider.pk]))
    seance.date = seance.date.replace(year=2026, month=1, day=5)
    seance.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.clore_seance(seance=seance)
    seance.refresh_from_db()
    texte = " ".join(p.extract_text() for p in PdfReader(seance.pv.open("rb")).pages)
    assert "H. D. a repris contact avec la CAF" in texte and "Durand" not in texte


def test_a_refusal_links_to_where_it_is_resolved(client, programme, seance):
    proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)  # no attendance recorded
    client.force_login(programme.comite)
    response = decision(client, point, decision="valider", niveau="niveau_2")
    assert response.status_code == 200
    assert (
        "Le quorum n’est pas atteint : 2 membres votants présents sont requis. "
        f'<a class="alert-link" href="{seance.get_absolute_url()}#presences">Enregistrer les présences</a>'
    ) in response.text
    point.refresh_from_db()
    assert not point.est_decide

    seance.date = seance.date.replace(year=2026, month=1, day=5)
    seance.save()
    client.force_login(programme.ts_adaff)  # the secretary
    response = client.post(reverse("comites:seance_action", args=[seance.pk, "convoquer"]), follow=True)
    lien = reverse("comites:seance_deplacer", args=[seance.pk])
    assert f'déplacez-la d’abord. <a class="alert-link" href="{lien}">Déplacer la séance</a>' in response.text


def test_the_summary_written_with_the_request_goes_to_the_agenda_item(client, programme, seance):
    acc = AccompagnementFactory(
        menage=MenageFactory(
            dispositif=programme.dispositif, bailleur=programme.habitat, en_accompagnement=True
        )
    )
    IntervenantFactory(menage=acc.menage, utilisateur=programme.ts_adaff)
    client.force_login(programme.ts_adaff)
    response = client.post(
        reverse("comites:demande", args=[acc.menage.pk]),
        {
            "type": "iml",
            "motif": "Bail glissant",
            "synthese_iml": "Un bail glissant sécurise le bailleur.",
            "synthese_initiales": "on",
        },
    )
    assert response.status_code == 302
    (point,) = services.construire_ordre_du_jour(seance=seance)
    assert point.synthese_iml == "Un bail glissant sécurise le bailleur."
    assert point.synthese_initiales and point.synthese_par == programme.ts_adaff
    # Still the referent's to complete until the session.
    assert client.get(synthese_url(point)).status_code == 200


def test_the_admin_site_does_not_record_a_decision(client, programme, a_decider):
    client.force_login(programme.admin)
    programme.admin.is_staff = programme.admin.is_superuser = True
    programme.admin.save()
    url = reverse("admin:comites_pointordredujour_change", args=[a_decider.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="decision"' not in page.text


def test_the_confirmation_says_from_when_and_until_when(client, programme, en_cours):
    acc = Accompagnement.objects.get(menage=en_cours.menage)
    client.force_login(programme.comite)
    url = reverse("comites:point_decider", args=[en_cours.pk])
    decision(client, en_cours, decision="renouveler", duree_mois="3")
    page = client.get(url).text
    debut = acc.date_fin_prevue + datetime.timedelta(days=1)
    assert f"À compter du {debut:%d/%m/%Y}, l’accompagnement est au Niveau 2" in page
    assert "Durée du renouvellement (mois)" in page and ">3<" in page

    decision(client, en_cours, decision="terminer", motif_sortie="autonomie", situation_sortie="maintien")
    page = client.get(url).text
    jour = timezone.localtime(en_cours.seance.date).date()
    assert f"L’accompagnement prend fin le {jour:%d/%m/%Y}" in page
    acc.refresh_from_db()
    assert acc.date_fin is None and not acc.changements_niveau.exists()  # nothing done yet


def test_confirmation_and_agenda_pdf_query_counts_do_not_grow_with_rows(
    client, programme, seance, a_decider, count_queries
):
    client.force_login(programme.comite)
    decision(client, a_decider, decision="valider", niveau="niveau_2")
    url = reverse("comites:point_decider", args=[a_decider.pk])
    pdf = reverse("comites:ordre_du_jour", args=[seance.pk])
    confirmation, agenda = count_queries(client.get, url), count_queries(client.get, pdf)
    for persona in ("ts_hdm", "tisf_afc", "cesf_habitat"):
        IntervenantFactory(
            menage=a_decider.menage, utilisateur=getattr(programme, persona), type="partenaire_externe"
        )
    for i in range(5):
        point = PointOrdreDuJour.objects.create(
            seance=seance, menage=proposition(programme, f"Famille {i}"), type="autre", ordre=10 + i
        )
        MembreFactory.create_batch(2, menage=point.menage)
        point.synthese_niveau = f"Famille {i} : dettes."
        point.save()
    assert count_queries(client.get, url) <= confirmation
    assert count_queries(client.get, pdf) <= agenda


def test_committee_members_home_shows_the_ten_latest_decisions_in_constant_queries(
    client, programme, seance, count_queries
):
    """The home reads the latest decisions through the index on `decide_le` (walked and stopped at
    ten at 10,000 households): as many queries whatever the number of decided items."""
    debut = timezone.now() - datetime.timedelta(days=60)
    for i in range(3):
        PointOrdreDuJourFactory(seance=seance, ajourne=True, decide_le=debut + datetime.timedelta(days=i))
    client.force_login(programme.comite)
    peu = count_queries(client.get, reverse("tableau_de_bord"))
    for i in range(3, 15):
        PointOrdreDuJourFactory(seance=seance, ajourne=True, decide_le=debut + datetime.timedelta(days=i))
    assert count_queries(client.get, reverse("tableau_de_bord")) == peu
    decisions = client.get(reverse("tableau_de_bord")).context["comite"]["decisions"]
    assert [p.decide_le for p in decisions] == [debut + datetime.timedelta(days=i) for i in range(14, 4, -1)]
