"""Session limits, the two-factor requirement and cache headers, applied to every request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from comptes import services
from comptes.selectors import DISPOSITIF_COURANT_SESSION_KEY, DISPOSITIF_PAR_DEFAUT
from comptes.signals import LOGIN_TIME_SESSION_KEY, RENEWED_AT_SESSION_KEY


def two_factor_not_required(view_func):
    """Mark a view that a logged-in user may open before the second factor (enrolment, check,
    logout). Views marked `login_not_required` are exempt too."""
    view_func.two_factor_required = False
    return view_func


class SessionMaxAgeMiddleware:
    """Ends a session SESSION_MAX_AGE seconds after login, however active it has been. The request
    then goes on as anonymous, so protected pages send to the login page.

    The idle limit is SESSION_COOKIE_AGE after the session was last saved. A logged-in user's
    session is saved again (its expiry pushed back) once SESSION_RENEW_AFTER seconds have passed
    since it was last renewed, rather than on every request: a page read then writes nothing to
    the database. The idle limit is therefore between SESSION_COOKIE_AGE - SESSION_RENEW_AFTER and
    SESSION_COOKIE_AGE after the last request, never longer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            logged_in_at = request.session.get(LOGIN_TIME_SESSION_KEY)
            if logged_in_at is None or now - logged_in_at > settings.SESSION_MAX_AGE:
                request.asea_session_expired = True
                logout(request)
                messages.info(request, "Votre session a expiré. Merci de vous reconnecter.")
            elif now - request.session.get(RENEWED_AT_SESSION_KEY, 0) >= settings.SESSION_RENEW_AFTER:
                # Marks the session modified: SessionMiddleware saves it with a new expiry.
                request.session[RENEWED_AT_SESSION_KEY] = int(now)
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """When OTP_REQUIRED is on, a user who has given only their password reaches nothing but the
    second-factor pages: the check if they have enrolled, the enrolment otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.OTP_REQUIRED or not request.user.is_authenticated or request.user.is_verified():
            return None
        if getattr(view_func, "login_required", True) is False:
            return None
        if getattr(view_func, "two_factor_required", True) is False:
            return None
        if services.has_totp_device(request.user):
            target = reverse("double_authentification_verifier")
        else:
            target = reverse("double_authentification_activer")
        return redirect_to_login(request.get_full_path(), target)


class NoStoreForAuthenticatedMiddleware:
    """Pages seen by a logged-in user carry personal data: no browser or proxy may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class DispositifCourantMiddleware:
    """Gives the logged-in user the programme chosen in the session (the header's selector), or
    the default one: `comptes.selectors.dispositifs_courants` then limits every `visible_to` to it.
    No query: the choice is checked against the user's organisation inside those filters."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            choisi = request.session.get(DISPOSITIF_COURANT_SESSION_KEY)
            user.dispositif_courant_id = choisi if isinstance(choisi, int) else DISPOSITIF_PAR_DEFAUT
        return self.get_response(request)
