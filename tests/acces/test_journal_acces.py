"""The access log covers every page that shows a household's data (issue #18, item 5).

Every page of the project is opened, as each role that reaches household files, with the demo
household of the access matrix. A page that answers 200 and is about that household (its URL
names it, or its body shows the household's name or reference) must have written an *access*
entry for that household (on the household itself or on one of its records, which carry the
household's id). A new view that shows household data without loading it through the shared
loader (`comptes.access.get_visible_or_404`, `menages.selectors.charger_menage`) fails here.
"""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.test import Client

from tests.acces.test_matrice import build_url, monde, url_names  # noqa: F401 (the fixture)

PERSONAS = ["ts.adaff", "cesf.habitat", "admin"]
# Pages that list several households by name and reference only, without opening any file: what
# the access log records is the opening of a household's file or of one of its records.
LISTES = {
    "dossiers:liste": "the list of households",
    "tableau_de_bord": "the dashboard's lists of files",
    "comites:seance": "the session's agenda (one line per item, the summary is comites:point)",
    "journal_utilisateur": "the administrator's journal of a user, which is the access log itself",
    "logements:signalement": "the caretaker's form (issue #18, item 4, replaces its list)",
    "accueil:agenda": "the user's week diary, one line per dated step across her households (each opens its file)",
    "logements:attributions": "the attribution pipeline board, one card per attribution across households",
}


# The paths whose number is a household's (the URL conf's `<int:pk>` or `<int:menage_pk>`). Another
# page's number may equal the household's by chance (a committee item's, a programme's): the ids
# depend on what the process created before, so « /<id>/ in the URL » was not enough.
CHEMINS_DU_MENAGE = (
    "/menages/{pk}/",
    "/logements/locataires/{pk}/",
    "/logements/menages/{pk}/",
    "/comites/demande/{pk}/",
    "/comites/renvoi-diagnostic/{pk}/",
)


def _entrees_acces(menage):
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS).filter(
        Q(content_type=ContentType.objects.get_for_model(menage), object_pk=str(menage.pk))
        | Q(additional_data__menage_id=menage.pk)
    )


@pytest.mark.django_db(transaction=True)
def test_every_page_showing_a_household_logs_the_access(monde):  # noqa: F811
    from comptes.models import Utilisateur
    from menages.models import Menage

    users, kwargs, specific = monde
    menage = Menage.objects.get(pk=kwargs["pk"])
    manquants, couverts = [], set()
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        client.force_login(Utilisateur.objects.get(username=persona))
        for name in url_names():
            url = build_url(name, kwargs, specific)
            avant = _entrees_acces(menage).count()
            response = client.get(url)
            if response.status_code != 200 or name in LISTES:
                continue
            corps = b"".join(response) if response.streaming else response.content
            texte = corps.decode("utf-8", "replace")
            sur_le_menage = any(chemin.format(pk=menage.pk) in url for chemin in CHEMINS_DU_MENAGE)
            if sur_le_menage or menage.nom in texte or menage.reference in texte:
                if _entrees_acces(menage).count() == avant:
                    manquants.append(f"{name} as {persona}")
                else:
                    couverts.add(name)
    assert not manquants, "Pages showing the household without an access-log entry:\n" + "\n".join(manquants)
    # The pages named by the issue are among those walked and logged.
    assert {"dossiers:detail", "logements:dossier_locatif", "accompagnement:contacts"} <= couverts


@pytest.mark.django_db(transaction=True)
def test_a_committee_case_summary_logs_the_access_to_its_household(monde):  # noqa: F811
    from comites.models import PointOrdreDuJour
    from comptes.models import Utilisateur

    users, kwargs, specific = monde
    point = PointOrdreDuJour.objects.select_related("menage").get(pk=specific["comites:point"]["pk"])
    client = Client()
    client.force_login(Utilisateur.objects.get(username="comite.cg"))
    avant = _entrees_acces(point.menage).count()
    assert client.get(build_url("comites:point", kwargs, specific)).status_code == 200
    entree = _entrees_acces(point.menage).latest("timestamp")
    assert _entrees_acces(point.menage).count() == avant + 1
    assert entree.actor == users["comite.cg"]
