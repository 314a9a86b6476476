import datetime

from django.urls import reverse

from accompagnement.models import SuiviPostSortie
from accompagnement.tests.factories import ContactFactory
from accueil.tests.conftest import ajouter_une_ligne_de_chaque, paris
from comites.tests.factories import InstanceFactory, SeanceFactory
from comptes.enums import Role
from comptes.tests.factories import user_with_role
from menages.tests.factories import IntervenantFactory, MenageFactory


def jours(response):
    return {jour: [e.type for e in entrees] for jour, entrees in response.context["jours"]}


def test_diary_lists_my_week_day_by_day(client, programme, semaine):
    client.force_login(programme.ts_adaff)
    response = client.get(reverse("accueil:agenda"))
    assert response.status_code == 200
    assert jours(response) == {
        datetime.date(2026, 12, 7): ["Contact"],
        datetime.date(2026, 12, 8): ["Séance de comité"],
        datetime.date(2026, 12, 9): ["Prochaine étape"],
        datetime.date(2026, 12, 10): ["Temps fort"],
        datetime.date(2026, 12, 11): ["Objectif à revoir"],
        datetime.date(2026, 12, 12): ["Situation après la sortie"],
        datetime.date(2026, 12, 13): [],
    }
    html = response.text
    assert "Semaine du 7 au 13 décembre 2026" in html
    assert '<h3 class="h6 mb-1" id="jour-2026-12-09">Mercredi 9 décembre' in html
    assert 'aria-current="date"' in html and html.count('aria-current="date"') == 1
    assert "Rendez-vous CAF 0" in html and "Famille Agenda" in html
    assert "14:00" in html and "Comité de suivi de l’Aude" in html


def test_a_recorded_follow_up_leaves_the_diary(client, programme, semaine):
    acc = semaine.accompagnements.get(numero_parcours=100)
    SuiviPostSortie.objects.create(accompagnement=acc, echeance_mois=6, situation="maintien")
    client.force_login(programme.ts_adaff)
    assert jours(client.get(reverse("accueil:agenda")))[datetime.date(2026, 12, 12)] == []


def test_weeks_before_and_after_and_a_bad_date(client, programme, semaine):
    client.force_login(programme.ts_adaff)
    suivante = client.get(reverse("accueil:agenda"), {"semaine": "2026-12-16"})
    assert min(jours(suivante)) == datetime.date(2026, 12, 14)
    assert not any(jours(suivante).values())
    assert "?semaine=2026-12-07" in suivante.text and "Cette semaine" in suivante.text
    mauvaise = client.get(reverse("accueil:agenda"), {"semaine": "9999-99-99"})
    assert mauvaise.status_code == 200
    assert "La date demandée n’est pas valide" in mauvaise.text
    assert min(jours(mauvaise)) == datetime.date(2026, 12, 7)


def test_diary_shows_neither_other_households_nor_other_bodies(client, programme, semaine):
    # Her organisation's household she does not follow in person, another organisation's one,
    # a next step given to a colleague, a session of a body she does not sit on.
    collegue = MenageFactory(dispositif=programme.dispositif, etat="accompagnement", nom="Collègue")
    consoeur = user_with_role(Role.TRAVAILLEUR_SOCIAL, programme.adaff, username="consoeur")
    IntervenantFactory(menage=collegue, utilisateur=consoeur, date_debut=datetime.date(2026, 1, 1))
    autre = MenageFactory(dispositif=programme.dispositif, etat="accompagnement", nom="Autre association")
    IntervenantFactory(menage=autre, utilisateur=programme.ts_hdm, date_debut=datetime.date(2026, 1, 1))
    ajouter_une_ligne_de_chaque(programme, collegue, 1, consoeur)
    ajouter_une_ligne_de_chaque(programme, autre, 1, programme.ts_hdm)
    ContactFactory(
        menage=semaine,
        auteur=programme.ts_adaff,
        prochaine_etape="Pour la TISF",
        prochaine_etape_le=datetime.date(2026, 12, 9),
        prochaine_etape_par=programme.tisf_afc,
    )
    SeanceFactory(
        instance=InstanceFactory(dispositif=programme.dispositif, nom="Commission d’ailleurs"),
        date=paris(datetime.date(2026, 12, 8), datetime.time(9, 0)),
    )
    client.force_login(programme.ts_adaff)
    html = client.get(reverse("accueil:agenda")).text
    for absent in ("Collègue", "Autre association", "Pour la TISF", "Commission d’ailleurs"):
        assert absent not in html
    client.force_login(programme.ts_hdm)
    html = client.get(reverse("accueil:agenda")).text
    assert "Autre association" in html and "Famille Agenda" not in html


def test_diary_query_count_does_not_grow_with_rows(
    client, programme, semaine, count_queries, django_assert_max_num_queries
):
    client.force_login(programme.ts_adaff)
    url = reverse("accueil:agenda")
    few = count_queries(client.get, url)
    for i in range(1, 8):
        ajouter_une_ligne_de_chaque(programme, semaine, i)
        SeanceFactory(
            instance=semaine.dispositif.instances.get(),
            date=paris(datetime.date(2026, 12, 8), datetime.time(9, i)),
        )
    response = client.get(url)
    assert len(jours(response)[datetime.date(2026, 12, 10)]) == 8
    assert count_queries(client.get, url) == few
    # Session, user, roles, second factor, permissions (2), committee membership (menu and
    # sessions), reminders; one query for contacts and next steps, one for sessions, one per
    # kind about the households she follows (3), one for those of them she may see, one for the
    # current programme's id (read once for every access rule). It was 15, then 14.
    with django_assert_max_num_queries(15):
        client.get(url)


def test_main_navigation_links_the_diary_for_field_workers_only(client, programme, frozen):
    client.force_login(programme.tisf_afc)
    assert "Mon agenda" in [i["label"] for i in client.get("/").context["navigation"]]
    client.force_login(programme.financeur)
    assert "Mon agenda" not in [i["label"] for i in client.get("/").context["navigation"]]


def test_today_s_entries_link_to_the_contact_form_kept_for_the_day(client, programme, semaine):
    """The form of today's households is fetched for use without network (prechargement.js);
    today's entries lead straight to it, the other days' entries to the household's contacts."""
    client.force_login(programme.ts_adaff)
    html = client.get(reverse("accueil:agenda")).text
    formulaire = reverse("accompagnement:contact", args=[semaine.pk])
    assert html.count(f'href="{formulaire}"') == 1  # Wednesday's next step, not Monday's contact
    assert f'data-prechargement="{formulaire}"' in html
    assert f'Noter un contact<span class="visually-hidden"> – {semaine.reference}</span>' in html
    html = client.get(reverse("accueil:agenda"), {"semaine": "2026-12-14"}).text
    assert formulaire not in html


def test_an_objective_reserved_to_social_workers_stays_out_of_a_cesfs_diary(client, programme, semaine):
    from accompagnement.tests.factories import ObjectifFactory

    IntervenantFactory(
        menage=semaine, utilisateur=programme.cesf_habitat, date_debut=datetime.date(2026, 1, 1)
    )
    ObjectifFactory(
        menage=semaine,
        date_revision=datetime.date(2026, 12, 11),
        libelle="Reprendre le suivi au CSAPA",
        confidentialite="travailleurs_sociaux",
    )
    client.force_login(programme.cesf_habitat)
    response = client.get(reverse("accueil:agenda"))
    assert jours(response)[datetime.date(2026, 12, 11)] == ["Objectif à revoir"]  # the shared one
    assert "CSAPA" not in response.text
    client.force_login(programme.ts_adaff)
    assert "CSAPA" in client.get(reverse("accueil:agenda")).text


def test_situation_after_exit_links_to_its_form_only_for_who_may_record_it(client, programme, semaine):
    """The form needs `accompagnement.gerer` (a 403 for a landlord's CESF): the CESF who follows
    the household is led to its file instead."""
    IntervenantFactory(
        menage=semaine, utilisateur=programme.cesf_habitat, date_debut=datetime.date(2026, 1, 1)
    )
    formulaire = reverse("accompagnement:suivi_post_sortie", args=[semaine.pk])
    fiche = reverse("dossiers:detail", args=[semaine.pk])

    def lien(user):
        client.force_login(user)
        response = client.get(reverse("accueil:agenda"))
        (entree,) = dict(response.context["jours"])[datetime.date(2026, 12, 12)]
        assert entree.type == "Situation après la sortie"
        return entree.lien, response.text

    lien_cesf, html = lien(programme.cesf_habitat)
    assert lien_cesf == fiche and formulaire not in html
    assert client.get(formulaire).status_code == 403
    lien_ts, html = lien(programme.ts_adaff)
    assert lien_ts == formulaire and f'href="{formulaire}"' in html


def test_households_followed_in_person_are_read_among_those_she_may_see(client, programme, semaine):
    """The rows about the households she follows are read by her interventions, then kept only
    for the households she may see: an intervention in her name on a household her organisation
    no longer follows does not bring its rows into her diary."""
    ailleurs = MenageFactory(dispositif=programme.dispositif, etat="accompagnement", nom="Ailleurs")
    IntervenantFactory(
        menage=ailleurs,
        utilisateur=programme.ts_adaff,
        organisation=programme.hdm,
        date_debut=datetime.date(2026, 1, 1),
    )
    # Her own contact and next step there too.
    ajouter_une_ligne_de_chaque(programme, ailleurs, 1)
    client.force_login(programme.ts_adaff)
    response = client.get(reverse("accueil:agenda"))
    assert jours(response)[datetime.date(2026, 12, 7)] == ["Contact"]
    assert jours(response)[datetime.date(2026, 12, 9)] == ["Prochaine étape"]
    assert jours(response)[datetime.date(2026, 12, 10)] == ["Temps fort"]
    assert jours(response)[datetime.date(2026, 12, 11)] == ["Objectif à revoir"]
    assert jours(response)[datetime.date(2026, 12, 12)] == ["Situation après la sortie"]
    assert "Ailleurs" not in response.text and "Famille Agenda" in response.text


def test_a_next_step_on_a_contact_reserved_to_social_workers_stays_out_of_a_cesfs_diary(
    client, programme, semaine
):
    for confidentialite, etape in (
        ("partage", "Visite du logement"),
        ("travailleurs_sociaux", "Suivi CSAPA"),
    ):
        ContactFactory(
            menage=semaine,
            auteur=programme.ts_adaff,
            confidentialite=confidentialite,
            prochaine_etape=etape,
            prochaine_etape_le=datetime.date(2026, 12, 9),
            prochaine_etape_par=programme.cesf_habitat,
        )
    client.force_login(programme.cesf_habitat)
    response = client.get(reverse("accueil:agenda"))
    assert jours(response)[datetime.date(2026, 12, 9)] == ["Prochaine étape"]
    assert "Visite du logement" in response.text and "CSAPA" not in response.text
