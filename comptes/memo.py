"""Facts about the reader read once per request: several access rules of one page ask the same
question (is the reader on a committee? what is their membership of this body?), and each asking
was a query. Outside a request (a test calling a rule, a management command, a service) nothing is
kept: the question is asked afresh each time.

The request's memo lives in a context variable set by `MemoParRequeteMiddleware` for the time of
the request only, so what is remembered cannot outlive it nor leak to another request."""

from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("asea_memo_requete", default=None)


def memoriser(cle, calculer):
    """`calculer()` once per request for `cle` (a hashable key naming the question and its
    arguments); each time outside a request."""
    memo = _memo.get()
    if memo is None:
        return calculer()
    if cle not in memo:
        memo[cle] = calculer()
    return memo[cle]


def connu(cle) -> bool:
    """Whether this request's memo holds `cle` (never outside a request)."""
    memo = _memo.get()
    return memo is not None and cle in memo


def en_requete() -> bool:
    """Whether a request's memo is open (inside a request that went through the middleware)."""
    return _memo.get() is not None


class MemoParRequeteMiddleware:
    """Opens a memo for the request and drops it after the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        jeton = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(jeton)
