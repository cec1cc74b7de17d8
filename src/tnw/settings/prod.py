"""Production: PostgreSQL through DATABASE_URL, secrets from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
if not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("set DJANGO_SECRET_KEY in production")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("set DATABASE_URL (PostgreSQL) in production")
if not os.environ.get("TNW_AUDIT_KEYS"):
    raise ImproperlyConfigured("set TNW_AUDIT_KEYS (audit checkpoint keys) in production")
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
