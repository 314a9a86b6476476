"""The contact form on a tablet: the main action first in the file's header, participants chosen
among the household's own people, and a form whose cost does not grow with the programme."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import Contact
from accompagnement.tests.factories import AccompagnementFactory, ContactFactory
from comptes.enums import Role
from comptes.tests.factories import user_with_role
from menages.tests.factories import IntervenantFactory, MembreFactory, MenageFactory


@pytest.fixture
def suivi(menage):
    menage.etat = "accompagnement"
    menage.save()
    return AccompagnementFactory(menage=menage, rythme="hebdomadaire")


def _donnees(menage, **extra):
    return {
        "type": "vad",
        "date": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "duree_minutes": "60",
        "confidentialite": "partage",
        "membres": [m.pk for m in menage.membres.all()],
        **extra,
    }


def test_noting_a_contact_is_the_first_and_only_filled_action_of_a_supported_household(
    client, programme, menage, suivi
):
    client.force_login(programme.ts_adaff)
    response = client.get(menage.get_absolute_url())
    actions = response.context["actions"]
    assert actions[0].libelle == "Noter un contact"
    assert actions[0].url == reverse("accompagnement:contact", args=[menage.pk])
    assert [a.libelle for a in actions if a.style == "btn-primary"] == ["Noter un contact"]
    relais = next(a for a in actions if a.libelle == "Passer en relais sortant")
    assert relais.style == "btn-outline-primary"
    # One link only: the contacts section does not repeat it.
    assert response.text.count(">Noter un contact</a>") == 1
    # In the header, before the sections (on a tablet: at the top of the screen).
    assert response.text.index(">Noter un contact</a>") < response.text.index("Accompagnement</h2>")


def test_no_contact_action_before_the_support_or_for_those_who_may_not_note_one(client, programme, menage):
    client.force_login(programme.ts_adaff)
    libelles = [a.libelle for a in client.get(menage.get_absolute_url()).context["actions"]]
    assert "Noter un contact" not in libelles
    menage.etat = "accompagnement"
    menage.save()
    client.force_login(programme.admin)  # an administrator corrects, does not note contacts
    libelles = [a.libelle for a in client.get(menage.get_absolute_url()).context["actions"]]
    assert "Noter un contact" not in libelles


def test_participants_are_the_households_members_and_active_intervenants_only(
    client, programme, menage, suivi
):
    parti = MembreFactory(menage=menage, prenom="Parti", date_sortie=datetime.date(2025, 1, 1))
    ancien = user_with_role(Role.TRAVAILLEUR_SOCIAL, programme.adaff, first_name="Ancien", last_name="TS")
    IntervenantFactory(
        menage=menage,
        utilisateur=ancien,
        date_debut=datetime.date(2024, 1, 1),
        date_fin=datetime.date(2025, 1, 1),
    )
    autre = MenageFactory(dispositif=programme.dispositif)
    MembreFactory(menage=autre, prenom="Voisin")
    IntervenantFactory(menage=autre, utilisateur=programme.ts_hdm)
    client.force_login(programme.ts_adaff)
    form = client.get(reverse("accompagnement:contact", args=[menage.pk])).context["form"]
    assert set(form.fields["membres"].queryset) == set(menage.membres.exclude(pk=parti.pk))
    # The TISF intervenes on the household; the author is counted by default; no one else of the
    # programme (funders, caretaker, administrator, other households' workers, a past intervenant).
    assert list(form.fields["professionnels"].queryset) == [programme.tisf_afc]
    assert form.initial["membres"] == [m.pk for m in menage.membres.exclude(pk=parti.pk)]


def test_an_edited_contact_keeps_the_people_it_names_in_a_bounded_number_of_queries(
    client, programme, menage, suivi, django_assert_max_num_queries
):
    ancien = user_with_role(Role.TRAVAILLEUR_SOCIAL, programme.adaff, first_name="Ancien", last_name="TS")
    parti = MembreFactory(menage=menage, prenom="Parti", date_sortie=datetime.date(2025, 1, 1))
    contact = ContactFactory(menage=menage, auteur=programme.ts_adaff)
    contact.membres.set([parti])
    contact.professionnels.set([ancien])
    url = reverse("accompagnement:contact_modifier", args=[menage.pk, contact.pk])
    client.force_login(programme.ts_adaff)
    with django_assert_max_num_queries(17):  # with the current programme's id, read once
        form = client.get(url).context["form"]
    # Those it names stay offered after leaving; other households' people are not.
    assert set(form.fields["membres"].queryset) == set(menage.membres.all())
    assert set(form.fields["professionnels"].queryset) == {programme.tisf_afc, ancien}
    assert form.initial["membres"] == [parti] and form.initial["professionnels"] == [ancien]
    # More people named, in the household and elsewhere: not one query more.
    autre = MenageFactory(dispositif=programme.dispositif)
    MembreFactory.create_batch(5, menage=autre)
    contact.membres.add(*MembreFactory.create_batch(5, menage=menage, date_sortie=datetime.date(2025, 1, 1)))
    contact.professionnels.add(programme.ts_hdm)
    with django_assert_max_num_queries(17):  # with the current programme's id, read once
        response = client.get(url)
    texte = response.text
    assert (
        'id="id_membres_6"' in texte and 'id="id_membres_7"' not in texte
    )  # 7 of the household, no neighbour
    assert "Ancien TS (ADAFF)" in texte


@pytest.mark.parametrize(
    "champ, valeur, message",
    [
        ("professionnels", "financeur", "Choisissez parmi les intervenants du ménage"),
        ("professionnels", "ts_hdm", "Choisissez parmi les intervenants du ménage"),
        ("membres", "voisin", "Choisissez parmi les membres du ménage"),
        ("professionnels", "abc", "n’est pas un choix valide"),
    ],
)
def test_a_posted_participant_outside_the_household_is_a_french_field_error(
    client, programme, menage, suivi, champ, valeur, message
):
    voisin = MembreFactory(menage=MenageFactory(dispositif=programme.dispositif))
    posted = {"voisin": voisin.pk, "abc": "abc"}.get(valeur) or getattr(programme, valeur).pk
    client.force_login(programme.ts_adaff)
    data = _donnees(menage, note="Visite du logement", **{champ: [posted]})
    response = client.post(reverse("accompagnement:contact", args=[menage.pk]), data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[champ])
    assert "Visite du logement" in response.text  # nothing typed is lost
    assert not Contact.objects.exists()


def test_an_intervenant_present_is_recorded_with_the_author(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:contact", args=[menage.pk])
    assert client.post(url, _donnees(menage, professionnels=[programme.tisf_afc.pk])).status_code == 302
    contact = Contact.objects.get()
    assert set(contact.professionnels.all()) == {programme.ts_adaff, programme.tisf_afc}


def test_editing_keeps_a_participant_who_has_left_since(client, programme, menage, suivi):
    ancien = user_with_role(Role.TISF, programme.afc, first_name="Ancienne", last_name="TISF")
    contact = ContactFactory(menage=menage, auteur=programme.ts_adaff)
    contact.professionnels.set([programme.ts_adaff, ancien])
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:contact_modifier", args=[menage.pk, contact.pk])
    form = client.get(url).context["form"]
    assert set(form.fields["professionnels"].queryset) == {programme.tisf_afc, ancien}
    data = _donnees(menage, professionnels=[ancien.pk], version=contact.version, note="Relu")
    assert client.post(url, data).status_code == 302
    assert set(contact.professionnels.all()) == {programme.ts_adaff, ancien}


def _beaucoup_de_monde(programme, menage, n):
    for _ in range(n):
        user = user_with_role(Role.TRAVAILLEUR_SOCIAL, programme.adaff)
        autre = MenageFactory(dispositif=programme.dispositif)
        MembreFactory(menage=autre)
        IntervenantFactory(menage=autre, utilisateur=user)
        IntervenantFactory(menage=menage, type="tisf", utilisateur=user_with_role(Role.TISF, programme.afc))
        MembreFactory(menage=menage)


def test_contact_form_and_page_query_counts_do_not_grow_with_users_and_households(
    client, programme, menage, suivi, count_queries
):
    contact = ContactFactory(menage=menage, auteur=programme.ts_adaff)
    contact.professionnels.set([programme.ts_adaff, programme.tisf_afc])
    client.force_login(programme.ts_adaff)
    urls = [
        reverse("accompagnement:contact", args=[menage.pk]),
        reverse("accompagnement:contact_modifier", args=[menage.pk, contact.pk]),
        reverse("accompagnement:contacts", args=[menage.pk]),
    ]
    avant = [count_queries(client.get, url) for url in urls]
    _beaucoup_de_monde(programme, menage, 15)
    apres = [count_queries(client.get, url) for url in urls]
    assert apres == avant
    form = client.get(urls[0]).context["form"]
    assert len(form.fields["professionnels"].queryset) == 16  # the TISF and the 15 added
