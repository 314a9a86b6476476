import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from demo.crawl import DOWNLOAD_SUFFIXES, classify, crawl_role, verdict
from menages.models import Menage
from tests.support.demo import charger_demo


@pytest.fixture
def demo(db):
    charger_demo()


def test_classify_skips_logout_downloads_writes_on_get_and_outside_links():
    assert classify("/comptes/deconnexion/") == ("logout", "déconnexion")
    assert classify("/comites/seances/1/ordre-du-jour.pdf")[1] == "téléchargement"
    assert classify("/financement/dispositifs/1/indicateurs.xlsx")[1] == "téléchargement"
    assert classify("/comptes/double-authentification/activer/")[1] == "modifie des données"
    assert classify("/nulle-part/")[1] == "hors application"
    assert classify("/menages/12/") == ("dossiers:detail", None)


def test_crawl_follows_each_roles_links_skips_downloads_and_caps_each_pattern(demo):
    roles = {
        username: crawl_role(username, repetitions=1, per_pattern=2, max_pages=60)
        for username in ("ts.adaff", "comite.cg", "financeur.ddcspp")
    }
    for username, role in roles.items():
        motifs = Counter(p.motif for p in role.pages)
        # Beyond the home page, into the role's own pages.
        assert len(motifs) > 3, username
        assert "tableau_de_bord" in motifs
        assert max(motifs.values()) <= 2
        for page in role.pages:
            assert page.role == username
            assert not page.url.split("?")[0].endswith(DOWNLOAD_SUFFIXES)
            assert page.motif not in ("logout", "admin:logout")
            assert page.ms > 0 and page.plancher_ms > 0 and page.requetes > 0
            assert page.ratio == round(page.ms / page.plancher_ms, 2)
        assert role.plancher_ms > 0
        assert not [e for e in role.erreurs if e["statut"] >= 500]
    # These two roles' whole reach fits under 60 pages: nothing was left to follow.
    assert not roles["comite.cg"].tronque and not roles["financeur.ddcspp"].tronque
    # The household list links to every household: only two files are requested per role.
    ts = roles["ts.adaff"]
    assert Counter(p.motif for p in ts.pages)["dossiers:detail"] == 2
    assert any(classify(u.split("?")[0])[0] == "dossiers:detail" for u in ts.ignores["plafond par motif"])
    # The session's agenda (PDF) and the funder's exports (CSV, Excel) are links not requested.
    assert any(u.endswith("ordre-du-jour.pdf") for u in roles["comite.cg"].ignores["téléchargement"])
    exports = roles["financeur.ddcspp"].ignores["téléchargement"]
    assert any(".csv" in u for u in exports) and any(".xlsx" in u for u in exports)
    assert {p.role for r in roles.values() for p in r.pages} == set(roles)


def test_verdict_and_command_fail_above_the_target_after_writing_the_result(demo, tmp_path):
    role = crawl_role("ts.adaff", repetitions=1, per_pattern=1, max_pages=5)
    assert len(role.pages) == 5 and role.tronque
    tenu = verdict([role], objectif=1000)
    assert tenu["objectif_atteint"] and tenu["depassements"] == [] and tenu["pages_mesurees"] == 5
    manque = verdict([role], objectif=0.0001)
    assert not manque["objectif_atteint"] and len(manque["depassements"]) == 5
    ratios = [p["ratio"] for p in manque["depassements"]]
    assert ratios == sorted(ratios, reverse=True) and manque["ratio_max"] == ratios[0]

    sortie = tmp_path / "parcours.json"
    options = {
        "comptes": ["admin"],
        "repetitions": 1,
        "max_pages": 4,
        "exclure": ["/administration/"],
        "sortie": str(sortie),
    }
    call_command("bench_crawl", objectif=1000, **options)
    assert json.loads(sortie.read_text())["objectif_atteint"] is True
    with pytest.raises(CommandError, match="au-dessus de 0.0001 fois le plancher"):
        call_command("bench_crawl", objectif=0.0001, **options)
    resultat = json.loads(sortie.read_text())
    assert resultat["objectif_atteint"] is False
    assert resultat["pages_mesurees"] == 4 == len(resultat["depassements"])
    admin = resultat["roles"]["admin"]
    assert admin["pages"][0]["requetes"] > 0
    assert not [p for p in admin["pages"] if p["url"].startswith("/administration/")]
    assert admin["ignores"]["exclu"]["exemples"] == ["/administration/"]
    # Both programmes' accounts with --dispositifs 2 (the crawl at 50,000 households).
    call_command("bench_crawl", objectif=1000, dispositifs=2, repetitions=1, max_pages=1, sortie=str(sortie))
    resultat = json.loads(sortie.read_text())
    assert {"ts.adaff", "comite.cg", "ts.araf", "comite.dep66", "admin.araf"} <= set(resultat["roles"])
    assert resultat["menages"] == Menage.objects.count()
    with pytest.raises(CommandError, match="--dispositifs"):
        call_command("bench_crawl", objectif=1000, dispositifs=3)


def test_report_adds_the_worst_pages_per_role_and_fails_with_the_crawl(tmp_path):
    spec = importlib.util.spec_from_file_location("rapport", Path(settings.BASE_DIR) / "bench" / "rapport.py")
    rapport = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rapport)
    mesures = {
        "menages": 100,
        "pages": {"plancher": {"p50_ms": 5, "p95_ms": 6, "requetes": 11, "requete_max_ms": 1}},
    }
    (tmp_path / "petit.json").write_text(json.dumps(mesures))
    (tmp_path / "grand.json").write_text(json.dumps(mesures | {"menages": 10000}))
    pages = [
        {"role": "ts.adaff", "url": f"/menages/{i}/", "motif": "dossiers:detail", "ms": 10.0 * i,
         "plancher_ms": 10.0, "ratio": float(i), "requetes": 20 + i}
        for i in range(7, 0, -1)
    ]  # fmt: skip
    parcours = {"objectif": 3.0, "pages_mesurees": 7, "ratio_max": 7.0, "erreurs_serveur": []}
    parcours |= {"roles": {"ts.adaff": {"plancher_ms": 10.0, "pages": pages, "erreurs": [], "ignores": {}}}}
    args = [str(tmp_path / "petit.json"), str(tmp_path / "grand.json"), str(tmp_path / "rapport")]

    (tmp_path / "parcours.json").write_text(json.dumps(parcours | {"objectif_atteint": False}))
    assert rapport.main(*args, str(tmp_path / "parcours.json")) == 1
    md = (tmp_path / "rapport.md").read_text()
    assert "| ts.adaff | `/menages/7/` | dossiers:detail | 70.0 | 10.0 | 7.00 | 27 |" in md
    assert "/menages/3/" in md and "/menages/2/" not in md  # the five worst only
    assert json.loads((tmp_path / "rapport.json").read_text())["parcours"][0]["ratio_max"] == 7.0

    (tmp_path / "parcours.json").write_text(
        json.dumps(parcours | {"objectif": 8.0, "objectif_atteint": True})
    )
    assert rapport.main(*args, str(tmp_path / "parcours.json")) == 0
    assert rapport.main(*args) == 0
    # A crawl at another scale adds its own section; one missed target fails the report.
    (tmp_path / "parcours-50000.json").write_text(
        json.dumps(parcours | {"menages": 50000, "objectif": 4.0, "objectif_atteint": False})
    )
    assert rapport.main(*args, str(tmp_path / "parcours.json"), str(tmp_path / "parcours-50000.json")) == 1
    md = (tmp_path / "rapport.md").read_text()
    assert md.count("## Pages atteintes") == 2 and "de chaque rôle à 50000 ménages" in md
    assert [p["objectif"] for p in json.loads((tmp_path / "rapport.json").read_text())["parcours"]] == [
        8.0,
        4.0,
    ]


@pytest.mark.parametrize(("p95_grand", "atteint"), [(13.0, True), (13.1, False)])
def test_report_fails_when_a_key_page_grows_more_than_issue_21_allows(tmp_path, p95_grand, atteint):
    # A key page's p95 at 10,000 households: at most 1.3 times its p95 at 100 (10 ms here).
    spec = importlib.util.spec_from_file_location("rapport", Path(settings.BASE_DIR) / "bench" / "rapport.py")
    rapport = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rapport)
    plancher = {"p50_ms": 5, "p95_ms": 6, "requetes": 11, "requete_max_ms": 1}
    page = {"p50_ms": 9, "p95_ms": 10.0, "requetes": 12, "requete_max_ms": 2}
    petit = {"menages": 100, "pages": {"plancher": plancher, "dossier_menage": page}}
    grand = {
        "menages": 10000,
        "pages": {"plancher": plancher, "dossier_menage": page | {"p95_ms": p95_grand}},
    }
    (tmp_path / "petit.json").write_text(json.dumps(petit))
    (tmp_path / "grand.json").write_text(json.dumps(grand))
    code = rapport.main(str(tmp_path / "petit.json"), str(tmp_path / "grand.json"), str(tmp_path / "rapport"))
    assert code == (0 if atteint else 1)
    resultat = json.loads((tmp_path / "rapport.json").read_text())["pages"]["dossier_menage"]
    assert resultat["objectif_atteint"] is atteint


def test_the_key_pages_are_timed_in_turn_each_repetition(demo, tmp_path, monkeypatch):
    from django.test import Client

    demandees = []
    get = Client.get

    def noter(client, url, *args, **kwargs):
        demandees.append(url)
        return get(client, url, *args, **kwargs)

    monkeypatch.setattr(Client, "get", noter)
    sortie = tmp_path / "mesures.json"
    call_command("bench", repetitions=2, sortie=str(sortie))
    mesures = json.loads(sortie.read_text())
    noms = list(mesures["pages"])
    assert noms[0] == "plancher" and "dossier_menage" in noms
    urls = [mesures["pages"][nom]["url"] for nom in noms]
    # A warm-up of each page, then every page once, twice over: a slower spell of the machine
    # weighs on all of them alike.
    assert demandees == urls + urls + urls
    assert all(page["p50_ms"] > 0 and page["requetes"] > 0 for page in mesures["pages"].values())
