from tests.api.conftest import issue  # noqa: F401  (API clients' service accounts)
