"""Security around the dossier (issue 18): security events in the audit trail, lockout,
second factor, session limits, security headers, backups."""
