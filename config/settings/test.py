"""Test runs: fast hashing, mail kept in memory, tasks run inline unless a test asks otherwise."""

from config.env import env_bool
from config.settings.base import *  # noqa: F403

DEBUG = False
DEMO_MODE = True
SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# A test that drives a real worker starts it with CELERY_TASK_ALWAYS_EAGER=0.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the finders (no collectstatic before tests); the browser tests need them.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
