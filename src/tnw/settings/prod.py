"""Production: PostgreSQL through DATABASE_URL, secrets from the environment."""

import os

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
if not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("set DJANGO_SECRET_KEY in production")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("set DATABASE_URL (PostgreSQL) in production")
if not os.environ.get("TNW_AUDIT_KEYS"):
    raise ImproperlyConfigured("set TNW_AUDIT_KEYS (audit checkpoint keys) in production")
if not os.environ.get("TNW_AUDIT_DATA_KEYS"):
    raise ImproperlyConfigured(
        "set TNW_AUDIT_DATA_KEYS (keys sealing health data in the audit trail) in production"
    )
for _item in os.environ["TNW_AUDIT_DATA_KEYS"].split(","):
    _key_id, _, _secret = _item.strip().partition(":")
    try:
        Fernet(_secret.encode("ascii"))
    except ValueError:
        raise ImproperlyConfigured(
            f"TNW_AUDIT_DATA_KEYS: {_key_id!r} is not 'id:key' with a key from `tnw audit newkey`"
        ) from None
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Hashed static file names, cached for a year by browsers and proxies (collected by tnw serve);
# source maps are not compressed (only developers' tools fetch them).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "tbz",
    "xz",
    "br",
    "swf",
    "flv",
    "woff",
    "woff2",
    "map",
)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "tnw.ops.storage.GzipManifestStorage"},
}

# Transport security (issue 18, finding 13): HTTPS only, HSTS for a year; `check --deploy` clean.
SECURE_SSL_REDIRECT = os.environ.get("TNW_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("TNW_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = os.environ.get("TNW_HSTS_PRELOAD", "1") == "1"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Behind a TLS-terminating proxy: DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https"
# (only when the proxy always sets it) and the public origins for the CSRF origin check.
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
    _header, _, _value = os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"].partition(",")
    SECURE_PROXY_SSL_HEADER = (_header.strip(), _value.strip() or "https")
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
# A default or short secret key refuses to start (Django's W009 would only warn).
if SECRET_KEY.startswith("insecure-") or len(set(SECRET_KEY)) < 5 or len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random string of 50+ characters")
