"""Settings shared by every environment.

The database is SQLite in a file under `var/` (no set-up needed) unless `DATABASE_URL` is set,
for example `postgres://user:password@host:5432/tnw` for PostgreSQL (the production database).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

SRC_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = SRC_DIR.parent
VAR_DIR = Path(os.environ.get("TNW_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "insecure-development-key-do-not-use-in-production"
)
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "tnw.mutualities",
    "tnw.accounts",
    "tnw.audit",
    "tnw.dossier",
    "tnw.worklists",
    "tnw.notifications",
    "tnw.web",
    "tnw.reports",
    "tnw.ops",
    "tnw.security",
    "tnw.portal",
    "tnw.caseload",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tnw.directory",
    "tnw.coordinators",
    "tnw.evaluation",
    "tnw.thirdparties",
    "tnw.planoutcomes",
    "tnw.transfers",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tnw.api",
    "tnw.documents",
    "tnw.imports",
    "tnw.sanctions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Only GET, HEAD and POST on the screens (the API: also PUT, PATCH, DELETE, OPTIONS).
    "tnw.security.methods.MethodMiddleware",
    # Static files from the application server itself, compressed and cached (tnw serve).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tnw.web.middleware.UserLanguageMiddleware",
    # No submitted value over TNW_MAX_FIELD_CHARS, in any form or API call (tnw.security.limits).
    "tnw.security.limits.InputLimitMiddleware",
    "tnw.portal.middleware.PortalSeparationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tnw.security.sessions.SessionLimitMiddleware",
    "tnw.security.otp.SecondFactorMiddleware",
    "tnw.security.events.RefusalAuditMiddleware",
    "tnw.security.headers.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers locked-out log-ins (django-axes)
]

ROOT_URLCONF = "tnw.urls"
WSGI_APPLICATION = "tnw.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


# SQLite options for every SQLite database, whether it comes from DATABASE_URL or the default
# file: writers take the database lock at BEGIN (IMMEDIATE), so two writers queue instead of
# failing on a lock upgrade; the second waits up to `timeout` seconds (SQLite's busy timeout).
# WAL lets readers run while one process writes; synchronous=NORMAL is durable in WAL mode
# except for the last transactions on a power loss (not on a process crash).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
# Persistent connections (seconds; 0 closes after each request), checked before reuse.
CONN_MAX_AGE = int(os.environ.get("TNW_CONN_MAX_AGE", "60"))


def database_from_environment(sqlite_path: Path) -> dict:
    """PostgreSQL (or any backend) when DATABASE_URL is set, else SQLite at `sqlite_path`."""
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
    else:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_path),
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
        }
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


DATABASES = {"default": database_from_environment(VAR_DIR / "tnw.sqlite3")}
# Reports read from a read replica when DATABASE_REPLICA_URL is set (tnw.reports.router).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=CONN_MAX_AGE,
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["tnw.reports.router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [  # issue 18, finding 12 (ASVS 5.0 V6.2)
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lockout (django-axes, issue 18 finding 3): 10 wrong passwords lock the account (whatever the
# address) for 30 minutes; `tnw axes_reset_username NAME` unlocks it sooner. Its backend comes
# first in AUTHENTICATION_BACKENDS (below, with the portal's).
AXES_FAILURE_LIMIT = 10
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/locked_out.html"
AXES_VERBOSE = False
# axes.W006 asks to lock by address too; we lock the account by name on purpose: an office
# behind one address must not be locked out by one person's typing, and rotating addresses or
# browsers does not get round a lock on the name.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# The second factor (tnw.security.otp) for every role that sees personal data; only the demo
# (the dev settings) switches it off.
TNW_REQUIRE_OTP = True
# `tnw demo` creates users with the public demo password: only the demo's (and the tests')
# settings allow it, never production.
TNW_DEMO_ALLOWED = False
OTP_TOTP_ISSUER = "TNW-dossier"
# Security keys and passkeys (tnw.security.passkeys): the relying party is the host the users
# reach; empty means the request's own host (the demo, the tests). Production sets both.
TNW_WEBAUTHN_RP_ID = os.environ.get("TNW_WEBAUTHN_RP_ID", "")
TNW_WEBAUTHN_ORIGIN = os.environ.get("TNW_WEBAUTHN_ORIGIN", "")
# Sessions: 30 minutes idle, 12 hours at most (tnw.security.sessions); the cookie dies with the
# browser.
TNW_SESSION_IDLE_SECONDS = 30 * 60
TNW_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_AGE = TNW_SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch"), ("en", "English")]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start-up when missing
# `tnw serve` collects the static files to STATIC_ROOT; WhiteNoise serves them compressed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# The screens' catalogue first: their glossary terms win over Django's own translations.
LOCALE_PATHS = [SRC_DIR / "tnw" / "web" / "locale"]

# E-mail (tnw.notifications): files under var/mail in development and the demo; SMTP in
# production with EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST etc.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "TNW-dossier <tnw@localhost>")

# Signed checkpoints of the audit chain (tnw.audit.checkpoints): HMAC keys the database does not
# hold, "id:secret[,id:secret]" with the signing key first (older keys still verify), and a
# folder outside the database where the checkpoint files are appended.
TNW_AUDIT_KEYS = os.environ.get("TNW_AUDIT_KEYS", "")
# Health data in the audit trail is stored encrypted (tnw.audit.sealing): Fernet keys,
# "id:key[,id:key]", the first seals, all open; `tnw audit newkey` makes one.
TNW_AUDIT_DATA_KEYS = os.environ.get("TNW_AUDIT_DATA_KEYS", "")
TNW_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("TNW_AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The portal's log-in with OpenID Connect (tnw.portal.oidc, mozilla-django-oidc), on when
# TNW_OIDC_CLIENT_ID is set. The provider must assert the national register number in the
# claim TNW_OIDC_INSZ_CLAIM (the federal authentication service's claim name is to be
# confirmed with its integration guide [U]; "egovNRN" is a placeholder default).
# The staff screens' address in the e-mails to staff (tnw.notifications.texts.absolute) and the
# portal's in the reminders to the person; by default where `make run` serves (PORT, else 8000).
TNW_BASE_URL = os.environ.get(
    "TNW_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
).rstrip("/")
TNW_PORTAL_URL = os.environ.get("TNW_PORTAL_URL", f"{TNW_BASE_URL}/portal/")
TNW_OIDC_ENABLED = bool(os.environ.get("TNW_OIDC_CLIENT_ID"))
TNW_OIDC_INSZ_CLAIM = os.environ.get("TNW_OIDC_INSZ_CLAIM", "egovNRN")
OIDC_RP_CLIENT_ID = os.environ.get("TNW_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("TNW_OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("TNW_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("TNW_OIDC_SCOPES", "openid profile egovnrn")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("TNW_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("TNW_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("TNW_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("TNW_OIDC_JWKS_ENDPOINT", "")
OIDC_AUTHENTICATION_CALLBACK_URL = "portal:oidc_callback"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # the lockout (tnw.security), before any other
    "django.contrib.auth.backends.ModelBackend",
    *(["tnw.portal.oidc.InszOIDCBackend"] if TNW_OIDC_ENABLED else []),
]

# The integration API (tnw.api): token auth per integrator, problem details, OpenAPI 3.1.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["tnw.api.authentication.ClientTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tnw.api.errors.problem_handler",
    "DEFAULT_THROTTLE_CLASSES": ["tnw.api.throttling.ClientRateThrottle"],
    "UNAUTHENTICATED_USER": None,
}
TNW_API_RATE = os.environ.get("TNW_API_RATE", "1200/min")  # calls per client
SPECTACULAR_SETTINGS = {
    "TITLE": "TNW-dossier integration API",
    "DESCRIPTION": "People, incapacity episodes, registrations, timelines and bulk imports "
    "for the mutualities' systems (docs/api.md).",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from the installed package: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tnw.api.schema.add_problem_responses",
    ],
}
