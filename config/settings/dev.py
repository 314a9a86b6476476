"""Local use (`make run`): debug on, demo accounts allowed, no external service required."""

from config.env import env_bool, env_str
from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR

DEBUG = env_bool("DEBUG", True)
DEMO_MODE = env_bool("DEMO_MODE", True)
# The demo accounts log in with their password only; set OTP_REQUIRED=1 to try two-factor login.
OTP_REQUIRED = env_bool("OTP_REQUIRED", not DEMO_MODE)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production-0123456789abcdef")
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Emails are written to files under var/emails instead of being sent.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "emails")},
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
