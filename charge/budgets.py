"""p95 budgets of the load test (`make charge`), in milliseconds, one per request name used in
charge/locustfile.py. charge/verifier.py fails the run when a page's p95 is above its budget, when
a request failed, or when a request name has no budget here.

The budgets hold for 30 simulated users on the programme's 2-core server (gunicorn, PostgreSQL and
locust itself on the same machine), with the 10,000-household data set:
- one second is the limit past which a person waiting for a page loses the thread of what she was
  doing: every page that reads the caseload (lists, search, file, timeline, dashboards, committee
  pages) and the login POST (issue #21: "login p95 under 1 s with 30 users") get 1000 ms;
- the login form makes no query but the session's, and the notifications page reads one user's few
  notifications: 500 ms leaves them room for queueing behind the heavier pages, no more.
"""

BUDGETS_MS = {
    # The login form (GET): a template and a CSRF token.
    "connexion (formulaire)": 500,
    # The login POST alone, without the redirect it answers with: the password check (Argon2id,
    # about 35 ms of one core), the lockout queries, the login journal, the new session.
    "connexion (envoi)": 1000,
    # Each role's home page: the first after login, then again for the CESF and the funder.
    "tableau de bord": 1000,
    # Household lists: unfiltered (first page after login), filtered, searched, one's own.
    "liste": 1000,
    "liste filtrée": 1000,
    "recherche": 1000,
    "mes ménages": 1000,
    # A household's file and its timeline.
    "dossier": 1000,
    "chronologie": 1000,
    "notifications": 500,
    # The committee member's journey: sessions, one agenda, one item's summary.
    "comités": 1000,
    "ordre du jour": 1000,
    "résumé": 1000,
}
