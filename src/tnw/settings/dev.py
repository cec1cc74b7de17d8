"""Development: the default (`tnw.settings`)."""

import os

from .base import *  # noqa: F403

# `make run` serves the demo with TNW_DEBUG=0: the error pages users see, not Django's.
DEBUG = os.environ.get("TNW_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
# The demo's audit checkpoint key: development only (production sets TNW_AUDIT_KEYS).
TNW_AUDIT_KEYS = os.environ.get("TNW_AUDIT_KEYS", "dev:insecure-development-audit-key")
# The demo's key sealing health data in the audit trail (production sets TNW_AUDIT_DATA_KEYS).
TNW_AUDIT_DATA_KEYS = os.environ.get(
    "TNW_AUDIT_DATA_KEYS", "dev:iY1h0w6vsvvVQ1TvsIASn_4G--Q3ndsN0o9dhqnkeVE="
)
# The demo (`make run`) asks no second factor, so that a first look needs no phone; the log-in
# page says so. Every other settings module requires it.
TNW_REQUIRE_OTP = os.environ.get("TNW_REQUIRE_OTP", "0") == "1"
# The demo data set (`tnw demo`, public passwords) is loaded only here (and in the tests).
TNW_DEMO_ALLOWED = True
