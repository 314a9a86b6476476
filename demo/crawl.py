"""Crawl benchmark: every page each demo role reaches by links from its home page, timed against
the floor page in the same loop.

For each account, starting from its home page (`LOGIN_REDIRECT_URL`), the crawl follows the `<a
href>` links breadth-first with the Django test client, in-process (no live server, so the result
does not depend on a network or a web server's workers):

- same host and inside the app only (a path Django resolves), GET only;
- never the logout, nor the few views that write on GET (`SKIPPED_VIEWS`), nor downloads (a URL
  ending in .pdf/.csv/.xlsx/.ics, or a response of such a type, an attachment or a stream);
- nothing under the path prefixes `excluded` (e.g. `/admin/`, the technical staff's Django admin);
- at most `per_pattern` URLs per URL pattern (the resolved view name), so a list of 10,000
  households gives three household files, not 10,000.

Each page reached (HTTP 200, HTML) is requested `repetitions` times, each time right after the floor
page (`plancher`) with the same client, and its median is compared with the floor's median: the
ratio hardly depends on how busy the machine is. The SQL queries of the last request are counted.
A page fails when its ratio is above the target, and a server error (5xx) fails the crawl."""

import statistics
import time
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import connection, reset_queries
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse

from comptes.models import Utilisateur

HOST = "testserver"
DOWNLOAD_SUFFIXES = (".pdf", ".csv", ".xlsx", ".ics")
DOWNLOAD_TYPES = (
    "application/pdf",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/calendar",
)
# Views never requested by the crawl: the logout, and GET views that change something.
SKIPPED_VIEWS = {
    "logout": "déconnexion",
    "admin:logout": "déconnexion",
    # Starts an enrolment: creates an unconfirmed TOTP device for the user.
    "double_authentification_activer": "modifie des données",
    # Pops the recovery codes from the session.
    "double_authentification_codes": "modifie des données",
}
EXAMPLES_KEPT = 10


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    """The targets of the `<a href>` of a page, in their order."""
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def is_download_url(path: str) -> bool:
    return path.lower().endswith(DOWNLOAD_SUFFIXES)


def is_download_response(response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return (
        response.streaming
        or content_type in DOWNLOAD_TYPES
        or response.get("Content-Disposition", "").lower().startswith("attachment")
    )


def classify(path: str) -> tuple[str | None, str | None]:
    """The URL pattern of a path (its view name), or why the crawl does not request it."""
    if is_download_url(path):
        return None, "téléchargement"
    try:
        match = resolve(path)
    except Resolver404:
        return None, "hors application"
    motif = match.view_name or match.route
    return motif, SKIPPED_VIEWS.get(motif)


@dataclass
class Page:
    role: str
    url: str
    motif: str
    ms: float
    plancher_ms: float
    ratio: float
    requetes: int


@dataclass
class Role:
    username: str
    plancher_ms: float = 0.0
    pages: list[Page] = field(default_factory=list)
    erreurs: list[dict] = field(default_factory=list)  # links answering neither 200 nor 3xx
    ignores: dict[str, list[str]] = field(default_factory=dict)  # reason -> URLs not requested
    par_motif: Counter = field(default_factory=Counter)
    tronque: bool = False  # stopped at max_pages with links left to follow

    def ignorer(self, raison: str, url: str) -> None:
        self.ignores.setdefault(raison, []).append(url)


def _median_ms(durations: list[float]) -> float:
    return round(statistics.median(durations) * 1000, 2)


def _measure(client: Client, url: str, floor: str, repetitions: int) -> tuple[float, float, int]:
    """Medians (ms) of the page and of the floor, requested in turn, and the page's SQL queries."""
    page_times, floor_times, queries = [], [], 0
    for _ in range(repetitions):
        start = time.perf_counter()
        client.get(floor)
        floor_times.append(time.perf_counter() - start)
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            client.get(url)
            page_times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    return _median_ms(page_times), _median_ms(floor_times), queries


def crawl_role(
    username: str, *, repetitions: int = 5, per_pattern: int = 3, max_pages: int = 400, excluded=(), log=None
) -> Role:
    """Breadth-first crawl of the pages one account reaches from its home page."""
    role = Role(username=username)
    client = Client(raise_request_exception=False)
    client.force_login(Utilisateur.objects.get(username=username))
    floor = reverse("plancher")
    client.get(floor)  # warm-up
    floor_times = []
    queue, seen = deque(), set()

    def consider(href: str, base: str) -> None:
        parts = urlsplit(urljoin(f"http://{HOST}{base}", href))
        if parts.scheme not in ("http", "https") or parts.netloc != HOST:
            return
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url in seen:
            return
        seen.add(url)
        motif, raison = classify(parts.path)
        if not raison and parts.path.startswith(tuple(excluded)):
            raison = "exclu"
        if raison:
            role.ignorer(raison, url)
            return
        if role.par_motif[motif] >= per_pattern:
            role.ignorer("plafond par motif", url)
            return
        role.par_motif[motif] += 1
        queue.append((url, motif))

    consider(resolve_url(settings.LOGIN_REDIRECT_URL), "/")
    while queue and len(role.pages) < max_pages:
        url, motif = queue.popleft()
        response = client.get(url)  # discovery, and warm-up of the measure
        if response.status_code in (301, 302, 303, 307, 308):
            consider(response["Location"], url)
            continue
        if response.status_code != 200:
            role.erreurs.append({"url": url, "motif": motif, "statut": response.status_code})
            continue
        if is_download_response(response):
            if response.streaming:
                response.close()
            role.ignorer("téléchargement", url)
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            role.ignorer("pas une page HTML", url)
            continue
        hrefs = links(response.content.decode(response.charset or "utf-8"))
        ms, floor_ms, queries = _measure(client, url, floor, repetitions)
        floor_times.append(floor_ms)
        page = Page(username, url, motif, ms, floor_ms, round(ms / floor_ms, 2) if floor_ms else 0.0, queries)
        role.pages.append(page)
        if log:
            log(
                f"{username:20} {page.ratio:6.2f} × plancher {page.ms:8.1f} ms {page.requetes:4d} requêtes  {url}"
            )
        for href in hrefs:
            consider(href, url)
    role.tronque = bool(queue)
    role.plancher_ms = round(statistics.median(floor_times), 2) if floor_times else 0.0
    return role


def crawl(
    usernames,
    *,
    objectif: float = 3.0,
    repetitions: int = 5,
    per_pattern: int = 3,
    max_pages: int = 400,
    excluded=(),
    log=None,
) -> dict:
    """Crawls each account that exists, and the verdict against the target (ratio to the floor)."""
    if HOST not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    existing = set(Utilisateur.objects.filter(username__in=usernames).values_list("username", flat=True))
    roles = [
        crawl_role(
            u,
            repetitions=repetitions,
            per_pattern=per_pattern,
            max_pages=max_pages,
            excluded=excluded,
            log=log,
        )
        for u in usernames
        if u in existing
    ]
    return verdict(roles, objectif=objectif)


def verdict(roles: list[Role], *, objectif: float) -> dict:
    """The JSON-ready result: every page, the pages above the target, errors, and whether it holds."""
    pages = [p for r in roles for p in r.pages]
    depassements = sorted((p for p in pages if p.ratio > objectif), key=lambda p: -p.ratio)
    serveur = [e | {"role": r.username} for r in roles for e in r.erreurs if e["statut"] >= 500]
    return {
        "objectif": objectif,
        "pages_mesurees": len(pages),
        "ratio_max": max((p.ratio for p in pages), default=0.0),
        "objectif_atteint": not depassements and not serveur,
        "depassements": [asdict(p) for p in depassements],
        "erreurs_serveur": serveur,
        "roles": {
            r.username: {
                "plancher_ms": r.plancher_ms,
                "tronque": r.tronque,
                "pages": [asdict(p) for p in sorted(r.pages, key=lambda p: -p.ratio)],
                "erreurs": r.erreurs,
                "ignores": {
                    k: {"nombre": len(v), "exemples": v[:EXAMPLES_KEPT]} for k, v in r.ignores.items()
                },
            }
            for r in roles
        },
    }
