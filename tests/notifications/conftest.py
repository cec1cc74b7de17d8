from tests.worklists.conftest import caseload, team  # noqa: F401  (shared fixtures)
