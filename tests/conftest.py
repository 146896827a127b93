import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery-9"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "spark: starts the process's Spark session (a JVM; Java 17 or later)")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings, request):
    """Argon2 is slow by design; tests that are not about hashing use a fast hasher."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in the default language: a page asked for in Welsh leaves
    the thread speaking Welsh, and the next test's messages would be Welsh too."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test starts with no posts counted against its address (the counts live in the
    process's cache, which outlives a test), and with limits a test's many posts from one
    address (a property test's hundreds) do not reach; tests of the limits set their own."""
    from django.core.cache import cache

    from soclocal.core.ratelimit import DEFAULTS

    settings.RATE_LIMITS = {name: (100_000, seconds) for name, (_most, seconds)
                            in DEFAULTS.items()}
    cache.clear()
    yield


@pytest.fixture
def org(db):
    """Two agencies with a team each, in one partnership."""
    from soclocal.accounts import services
    from soclocal.accounts.models import Agency

    services.get_or_create_partnership("Test partnership")
    police = services.create_agency(None, name="Test Police", kind=Agency.Kind.POLICE)
    youth = services.create_agency(None, name="Test Youth Service", kind=Agency.Kind.YOUTH_JUSTICE)
    return {
        "police": police,
        "youth": youth,
        "police_team": services.create_team(None, agency=police, name="Intelligence"),
        "youth_team": services.create_team(None, agency=youth, name="Early Intervention"),
    }


@pytest.fixture
def make_user(org):
    from soclocal.accounts import services

    counter = {"n": 0}

    def make(*roles, agency="youth", team=True, username=None, **extra):
        counter["n"] += 1
        agency_obj = org[agency]
        user, _ = services.create_account(
            None, username=username or f"{roles[0].replace('_', '')}{counter['n']}",
            first_name="Test", last_name=f"Person {counter['n']}", email="", agency=agency_obj,
            team=org[f"{agency}_team"] if team else None, roles=list(roles), password=PASSWORD,
            must_change_password=extra.pop("must_change_password", False))
        return user

    return make


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def sharing_agreement(org):
    """An information-sharing agreement in force between every agency that exists when it is
    asked for (list it after the fixtures that make agencies)."""
    from datetime import date

    from soclocal.accounts.models import Agency
    from soclocal.partnership import services

    return services.create_agreement(
        None, parties=list(Agency.objects.all()), title="Test sharing agreement",
        status="active", purposes="Joint work with young people",
        lawful_bases="UK GDPR Article 6(1)(e)", data_categories="Case records",
        retention_terms="Six years after closure", review_on=date(2099, 1, 1),
        signatories="A. Signatory, Test Police\nB. Signatory, Test Youth Service")
