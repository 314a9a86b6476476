"""The access matrix: every page of the project × every demo role, against docs/matrice-acces.md.

The household used is a Habitat Audois household in support, followed by ADAFF only: for the CESF
of Habitat Audois it is her own landlord's, for the CESF of ALOGEA another landlord's, for HDM and
the TISF a household they do not work on. A URL without a row in the table fails the test; so does
a row whose statuses differ from what the app answers. Set MATRICE_ECRIRE=1 to print the observed
table (then read it line by line before copying it: the table is the specification).
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.support.demo import charger_demo
from tests.support.matrice import build_url, construire_monde, url_names

TABLE = Path(settings.BASE_DIR) / "docs" / "matrice-acces.md"
PERSONAS = [
    "anonyme",
    "ts.adaff",
    "cesf.habitat",
    "cesf.alogea",
    "attribution.habitat",
    "gardien.habitat",
    "ts.hdm",
    "tisf.afc",
    "financeur.ddcspp",
    "comite.cg",
    "admin",
]
# Not a column of the table: the national or regional funder (`Role.FINANCEUR_NATIONAL`, created by
# seed_demo's last module), walked with the others in the same pass. It opens its consolidated
# figures and the pages every account answers alike (home, diary, account, notifications, public
# links); everywhere else it gets 403, 404 or 405: no household, no single programme's page.
FINANCEUR_NATIONAL = "financeur.national"
PAGES_DU_FINANCEUR_NATIONAL = {"financement:consolide", "financement:consolide_export"}


def read_table():
    rows = {}
    for line in TABLE.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == len(PERSONAS) + 1 and re.fullmatch(r"`[\w:]+`", cells[0]):
            rows[cells[0].strip("`")] = [int(c) for c in cells[1:]]
    return rows


@pytest.fixture
def monde(transactional_db):
    """The demo data set, and one record of each kind around a Habitat Audois household."""
    charger_demo()
    return construire_monde()


def observe(monde):
    from comptes.models import Utilisateur

    users, kwargs, specific = monde
    observed = {}
    clients = {}
    for persona in [*PERSONAS, FINANCEUR_NATIONAL]:
        client = Client(raise_request_exception=False)
        if persona != "anonyme":
            client.force_login(Utilisateur.objects.get(username=persona))
        clients[persona] = client
    for name in url_names():
        url = build_url(name, kwargs, specific)
        observed[name] = [clients[p].get(url).status_code for p in [*PERSONAS, FINANCEUR_NATIONAL]]
    return observed


def test_every_page_answers_every_role_as_the_matrix_says(monde):
    observed = observe(monde)
    national = {name: statuses.pop() for name, statuses in observed.items()}
    trop = [
        f"{name} as {FINANCEUR_NATIONAL}: got {status}"
        for name, status in national.items()
        if status not in (403, 404, 405)
        and name not in PAGES_DU_FINANCEUR_NATIONAL
        and set(observed[name][1:]) != {status}
    ]
    assert not trop, "\n".join(trop)
    assert {national[name] for name in PAGES_DU_FINANCEUR_NATIONAL} == {200}
    if os.environ.get("MATRICE_ECRIRE"):
        print("| Page | " + " | ".join(PERSONAS) + " |")
        print("|---" * (len(PERSONAS) + 1) + "|")
        for name, statuses in observed.items():
            print(f"| `{name}` | " + " | ".join(str(s) for s in statuses) + " |")
    table = read_table()
    missing = sorted(set(observed) - set(table))
    assert not missing, f"URLs without a row in {TABLE.name}: {missing}"
    stale = sorted(set(table) - set(observed))
    assert not stale, f"Rows of {TABLE.name} for URLs that no longer exist: {stale}"
    differences = [
        f"{name} as {persona}: expected {want}, got {got}"
        for name, statuses in observed.items()
        for persona, want, got in zip(PERSONAS, table[name], statuses, strict=True)
        if want != got
    ]
    assert not differences, "\n".join(differences)
