"""The coordinator's commentary on a funder report: saved with it by whoever may ask for reports,
before or after it is produced (which produces it again), within a sensible length."""

import datetime

from django.urls import reverse

from financement import services
from financement.models import COMMENTAIRE_MAX, RapportFinanceur
from financement.tests.factories import RapportFinanceurFactory
from financement.tests.test_rapports import _texte

T2 = (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
COMMENTAIRE = "Trimestre marqué par l’arrivée d’une deuxième CESF.\nLes délais de saisine baissent."


def test_coordinator_commentary_is_saved_and_the_report_produced_again_with_it(
    client, jeu, django_capture_on_commit_callbacks
):
    rapport = RapportFinanceurFactory(
        dispositif=jeu.dispositif, financeur=jeu.ddcspp, date_debut=T2[0], date_fin=T2[1]
    )
    services.produire_rapport(rapport_id=rapport.pk)
    client.force_login(jeu.financeur)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("financement:rapport_commentaire", args=[rapport.pk]),
            {f"r{rapport.pk}-commentaire": COMMENTAIRE},
        )
    assert response.status_code == 302
    rapport.refresh_from_db()
    assert rapport.commentaire == COMMENTAIRE
    assert rapport.statut == "termine"
    texte = _texte(client.get(reverse("financement:rapport_telecharger", args=[rapport.pk])).getvalue())
    assert "Les délais de saisine baissent." in texte
    page = client.get(reverse("financement:rapports")).content.decode()
    assert "Modifier le commentaire du coordinateur" in page


def test_commentary_can_be_given_when_asking_for_the_report(client, jeu, django_capture_on_commit_callbacks):
    client.force_login(jeu.financeur)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("financement:rapports"),
            {
                "dispositif": jeu.dispositif.pk,
                "financeur": jeu.ddcspp.pk,
                "debut": T2[0].isoformat(),
                "fin": T2[1].isoformat(),
                "commentaire": "Bon trimestre.",
            },
        )
    assert RapportFinanceur.objects.get().commentaire == "Bon trimestre."


def test_an_over_long_commentary_is_refused_in_french_next_to_the_field(client, jeu):
    rapport = RapportFinanceurFactory(
        dispositif=jeu.dispositif, financeur=jeu.ddcspp, date_debut=T2[0], date_fin=T2[1]
    )
    client.force_login(jeu.financeur)
    response = client.post(
        reverse("financement:rapport_commentaire", args=[rapport.pk]),
        {f"r{rapport.pk}-commentaire": "x" * (COMMENTAIRE_MAX + 1)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Le commentaire ne doit pas dépasser 2\u202f000 caractères (il en compte actuellement 2001)." in page
    )
    assert '<details class="mt-2" open>' in page
    rapport.refresh_from_db()
    assert rapport.commentaire == ""
    # Asked with the report, the same limit.
    response = client.post(
        reverse("financement:rapports"),
        {
            "dispositif": jeu.dispositif.pk,
            "financeur": jeu.ddcspp.pk,
            "debut": T2[0].isoformat(),
            "fin": T2[1].isoformat(),
            "commentaire": "x" * (COMMENTAIRE_MAX + 1),
        },
    )
    assert "Le commentaire ne doit pas dépasser 2\u202f000 caractères" in response.content.decode()


def test_a_social_worker_cannot_comment_a_report(client, jeu):
    rapport = RapportFinanceurFactory(
        dispositif=jeu.dispositif, financeur=jeu.ddcspp, date_debut=T2[0], date_fin=T2[1]
    )
    client.force_login(jeu.ts_adaff)
    response = client.post(
        reverse("financement:rapport_commentaire", args=[rapport.pk]), {f"r{rapport.pk}-commentaire": "Non."}
    )
    assert response.status_code == 403
    rapport.refresh_from_db()
    assert rapport.commentaire == ""
