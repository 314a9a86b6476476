"""Settings shared by every environment.

Every value that differs between machines comes from the environment (see config/env.py). The
defaults here are the safe production ones: DEBUG off, demo accounts refused, secure cookies.
dev.py and test.py relax them explicitly.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("ASEA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Demo mode lets the demo accounts log in and lets seed_demo run. Never on in production.
DEMO_MODE = env_bool("DEMO_MODE", False)
# Every read compiled once (comptes.lecture.Gabarit) also built and compiled by the ORM on each use,
# and compared: the test suite sets it, so that a read whose shape depends on more than its id and
# declared variant fails there.
VERIFIER_GABARITS = env_bool("VERIFIER_GABARITS", False)

SECRET_KEY = env_str("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.admin.AseaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rules",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "comptes",
    "menages",
    "accompagnement",
    "logements",
    "comites",
    "financement",
    "rappels",
    "dossiers",
    "accueil",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "comptes.memo.MemoParRequeteMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "comptes.middleware.SessionMaxAgeMiddleware",
    "comptes.middleware.DispositifCourantMiddleware",
    "comptes.middleware.TwoFactorRequiredMiddleware",
    "comptes.middleware.NoStoreForAuthenticatedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "comptes.context_processors.navigation",
                "comptes.context_processors.programme",
                "rappels.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'asea.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The pages' queries are short. PostgreSQL's JIT compiler, which starts on plans it estimates
    # expensive, spent 200 to 590 ms compiling queries that then ran in a few milliseconds.
    # The tables fit in memory (or sit on SSD): with the default random_page_cost (4, for spinning
    # disks), the planner read all 10,000 households to find the 150 a social worker follows, or
    # the landlord's 5,000 to find the few a complaint names, rather than look them up by key.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=1.1"
    # QuerySet.iterator() reads through a server-side cursor (DECLARE, FETCH, CLOSE): three round
    # trips for each select field's options, which Django reads that way, lists of a few dozen rows.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "comptes.Utilisateur"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "comptes.backends.DemoAwareModelBackend",
]
# Argon2id first (comptes.hachage); the older hashers only check the passwords saved before, which
# are hashed again with Argon2id at the user's next login.
PASSWORD_HASHERS = [
    "comptes.hachage.Argon2idAsea",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tableau_de_bord"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Uploaded documents live outside any publicly served path; views serve them after a check.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "documents")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MAILERS = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 10,
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ASEA Aude <ne-pas-repondre@asea.invalid>")

# Celery: Redis when REDIS_URL is given; otherwise a broker kept in files under var/, which
# needs no service and still lets a separate worker and scheduler run beside the web server.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5}
    if REDIS_URL
    else {
        "data_folder_in": str(_BROKER_DIR / "out"),
        "data_folder_out": str(_BROKER_DIR / "out"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
)
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "comptes.tasks.heartbeat", "schedule": 60.0},
    "rappels-generer": {"task": "rappels.tasks.generer", "schedule": 15 * 60.0},
    "rappels-envoyer": {"task": "rappels.tasks.envoyer", "schedule": 60.0},
    "reprendre-envois": {"task": "menages.tasks.reprendre_envois", "schedule": 5 * 60.0},
    "reprendre-pv": {"task": "comites.tasks.reprendre_pv", "schedule": 5 * 60.0},
    "anonymisation": {
        "task": "menages.tasks.anonymiser_dossiers_expires",
        "schedule": crontab(hour=3, minute=15),
    },
    # The CESF's monthly arrears totals, recomputed from the balances (logements.impayes).
    "impayes-mensuels": {
        "task": "logements.tasks.recalculer_impayes",
        "schedule": crontab(hour=3, minute=45),
    },
    # The landlords' counts of households by step, recomputed from the households (menages.effectifs).
    "effectifs-bailleurs": {
        "task": "menages.tasks.recalculer_effectifs",
        "schedule": crontab(hour=3, minute=50),
    },
    "rappels-resume": {"task": "rappels.tasks.envoyer_resumes", "schedule": crontab(hour=7, minute=30)},
    "purge_login_events": {"task": "comptes.tasks.purge_login_events", "schedule": 24 * 3600.0},
    "purge_access_log": {"task": "comptes.tasks.purge_access_log", "schedule": 24 * 3600.0},
    "clear_expired_sessions": {"task": "comptes.tasks.clear_expired_sessions", "schedule": 24 * 3600.0},
    # Quarterly and annual funder reports once due, and those left waiting (idempotent task).
    "rapports-financeurs": {"task": "financement.tasks.rapports_periodiques", "schedule": crontab(minute=30)},
    # The funders' dashboard figures of each programme's current period, shown with their date
    # (financement.selectors.VALIDITE_INDICATEURS: recomputed on view when older than an hour).
    "indicateurs-financeurs": {"task": "financement.tasks.arreter_indicateurs", "schedule": 15 * 60.0},
}

# Security headers. A strict Content-Security-Policy: no inline script, nonces where needed.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Pages send the CSRF token themselves (forms, and hx-headers for htmx): no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
# Sessions end after 30 minutes idle and 12 hours after login whatever the activity
# (comptes.middleware.SessionMaxAgeMiddleware). The expiry is pushed back once a minute at most,
# not on every request (a write transaction per page read): the idle limit is between 29 and 30
# minutes. Sessions are stored with their user's id so that deactivating a user ends all of their
# sessions.
SESSION_ENGINE = "comptes.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_MAX_AGE = env_int("SESSION_MAX_AGE", 12 * 60 * 60)
SESSION_RENEW_AFTER = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor authentication (TOTP with single-use recovery codes), required of every account.
# It can be switched off only in demo mode (checked by comptes.checks and by the prod settings).
OTP_REQUIRED = env_bool("OTP_REQUIRED", True)
OTP_TOTP_ISSUER = "ASEA Aude"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Brute-force protection: a (username, IP address) pair is locked after a few failures and an IP
# address after more failures across usernames; a username alone is never locked, so nobody can
# lock a colleague out from elsewhere. Failures older than the window are forgotten.
LOGIN_FAILURES_PER_USERNAME_AND_IP = env_int("LOGIN_FAILURES_PER_USERNAME_AND_IP", 5)
LOGIN_FAILURES_PER_IP = env_int("LOGIN_FAILURES_PER_IP", 30)
LOGIN_LOCKOUT_WINDOW = env_int("LOGIN_LOCKOUT_WINDOW", 15 * 60)
# How many reverse proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Login, logout and failed-login events are kept this many days (CNIL: 6 months to 1 year).
LOGIN_EVENTS_RETENTION_DAYS = env_int("LOGIN_EVENTS_RETENTION_DAYS", 365)

# Audit trail (django-auditlog): who changed what, and who opened which household file.
AUDITLOG_INCLUDE_ALL_MODELS = False
# Records of who opened which file are kept this many days (CNIL: 6 months to 1 year); the
# records of changes are kept with the file.
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 365)
AUDITLOG_DISABLE_REMOTE_ADDR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Absolute address of the site, for links in emails (funders' validation links, password reset).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
