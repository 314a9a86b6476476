"""Test runs: fast hashing, mail kept in memory, tasks run inline unless a test asks otherwise."""

import os

from config.env import env_bool, env_str
from config.settings.base import *  # noqa: F403

DEBUG = False
DEMO_MODE = True
VERIFIER_GABARITS = True
SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
if os.environ.get("TEST_EMAIL_DIR"):
    # A worker started by a test writes its mail where the test can read it.
    MAILERS = {
        "default": {
            "BACKEND": env_str("TEST_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"),
            "OPTIONS": {"file_path": os.environ["TEST_EMAIL_DIR"]},
        }
    }
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Tasks run inline, except for the tests that start a real worker (they set it to 0).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the finders (no collectstatic before tests); the browser tests need them.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
