import pytest


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, torn down before the test database is dropped.

    Requesting `django_db_setup` first orders the teardowns: otherwise, on PostgreSQL, the
    server thread's connection is still open when the test database is dropped.
    """
    return live_server
