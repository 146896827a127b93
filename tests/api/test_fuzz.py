"""The published API under fuzzing: every operation in /api/v1/openapi.json, as two roles.

Schemathesis generates requests from the schema (a few examples an operation, derandomised so
a run is repeatable) and checks each response with its default checks: no server error, the
status code, content type, headers and body conform to the schema. On top of that, records
planted in an agency neither user belongs to must never appear in anything they receive.
"""

from datetime import date

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks

from soclocal.api import api
from soclocal.core.access import Role

# Examples per operation and role: enough to find a missing check, small enough for CI
# (about forty operations).
EXAMPLES = 8
SENTINEL = "Outofscope"
# No server error, and every response as the schema says. (The checks that re-send a request
# without its credentials are for a server run: docs/operations.md, "Security checks".)
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_headers_conformance,
          checks.response_schema_conformance]


def plant_out_of_scope_records():
    """Personal records in an agency the fuzzing users are not part of."""
    from django.utils import timezone

    from soclocal.accounts import services as accounts
    from soclocal.accounts.models import Agency
    from soclocal.cases.models import Case, Referral, YoungPerson
    from soclocal.intelligence.models import Entity, IntelligenceReport, Source, Submission

    other = accounts.create_agency(None, name=f"{SENTINEL} Agency", kind=Agency.Kind.HEALTH)
    insider, _ = accounts.create_account(
        None, username="insider", first_name="In", last_name="Sider", email="", agency=other,
        team=None, roles=[Role.PRACTITIONER, Role.INTELLIGENCE_OFFICER],
        password="correct-horse-battery-9")
    person = YoungPerson.objects.create(first_name=SENTINEL, last_name=f"{SENTINEL}son",
                                        date_of_birth=date(2010, 1, 1), owning_agency=other)
    case = Case.objects.create(young_person=person, owning_agency=other)
    Referral.objects.create(case=case, source="school", referrer_name=f"{SENTINEL} Referrer",
                            reasons=["missing"], created_by=insider)
    source = Source.objects.create(reference=f"SRC-{SENTINEL}", owning_agency=other,
                                   identity=SENTINEL, created_by=insider)
    report = IntelligenceReport.objects.create(
        reference=f"IR-{SENTINEL}", owning_agency=other, title=SENTINEL, text=SENTINEL,
        source=source, source_type="partner", source_grade="2", intelligence_grade="B",
        handling="P", created_by=insider)
    entity = Entity.objects.create(reference=f"P-{SENTINEL}", kind="person",
                                   owning_agency=other, surname=SENTINEL)
    entity.reports.add(report)
    Submission.objects.create(reference=f"S-{SENTINEL}", to_agency=other, what=SENTINEL,
                              where=SENTINEL, when="today", submitted_at=timezone.now(),
                              submitted_by=insider)


@pytest.fixture
def fuzz_world(make_user, org, db):
    from soclocal.accounts.services import create_api_token

    users = {"practitioner": make_user(Role.PRACTITIONER, agency="police"),
             "intelligence officer": make_user(Role.INTELLIGENCE_OFFICER, agency="police")}
    plant_out_of_scope_records()
    tokens = {name: create_api_token(users[name], name="fuzzing")[1]
              for name in ("practitioner", "intelligence officer")}
    return tokens


def operations():
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = WSGIHandler()
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def connection_kept():
    """The application is called in this process, inside the test's transaction: keep the
    connection open between requests, as Django's own test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("connection_kept")
@pytest.mark.parametrize("role", ["practitioner", "intelligence officer"])
def test_the_api_survives_fuzzing_and_keeps_to_each_users_scope(fuzz_world, role):
    headers = {"Authorization": f"Bearer {fuzz_world[role]}"}
    failures = []
    for operation in operations():
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)
            assert SENTINEL not in response.text, (
                f"{case.method} {case.formatted_path} gave {role} a record outside their scope")

        try:
            check()
        except Exception as failure:  # every operation is tried; all failures are reported
            failures.append(f"{operation.label}: {failure}")
    assert not failures, "\n\n".join(failures)
