"""Session limits and cache headers, applied to every request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers

from comptes.signals import LOGIN_TIME_SESSION_KEY


class SessionMaxAgeMiddleware:
    """Ends a session SESSION_MAX_AGE seconds after login, however active it has been (the idle
    limit is SESSION_COOKIE_AGE, renewed on every request). The request then goes on as anonymous,
    so protected pages send to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            logged_in_at = request.session.get(LOGIN_TIME_SESSION_KEY)
            if logged_in_at is None or time.time() - logged_in_at > settings.SESSION_MAX_AGE:
                request.asea_session_expired = True
                logout(request)
                messages.info(request, "Votre session a expiré. Merci de vous reconnecter.")
        return self.get_response(request)


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
