"""Tests: fast password hashing; SQLite test database in a file so that two threads use two
real connections with real locking (an in-memory shared-cache database would not)."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECRET_KEY = "test-only-key"
TNW_AUDIT_KEYS = "test:test-only-audit-checkpoint-key"
TNW_AUDIT_DATA_KEYS = "test:pMLEBMwicACXEpiqN7wZiBQcaiUuGBqvPcgc_FTWWPw="
# Tests log in with force_login; the second-factor tests switch it on (tests/security).
TNW_REQUIRE_OTP = False
TNW_DEMO_ALLOWED = True  # tests load the demo data set

# The test threads open their own connections: close them at the end of each request.
for _alias in DATABASES:
    DATABASES[_alias]["CONN_MAX_AGE"] = 0

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
# Schemathesis calls the WSGI app in-process with Host "localhost" (tests/api).
ALLOWED_HOSTS = ["testserver", "localhost"]
