"""A database that goes away in the middle of a request: a clear page, and nothing half-saved."""

from django.db import OperationalError, connection

from soclocal.core.models import AuditEvent
from soclocal.intelligence.models import Submission
from tests.intelligence.test_community import URL, form_data

TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")


class GoesAway:
    """Lets the first `writes` INSERTs through, then fails every statement as a server that
    has gone would (transaction control still runs, as the server's own rollback would)."""

    def __init__(self, writes):
        self.writes = writes
        self.gone = False

    def __call__(self, execute, sql, params, many, context):
        statement = sql.lstrip().upper()
        if statement.startswith(TRANSACTION_CONTROL):
            return execute(sql, params, many, context)
        if self.gone:
            raise OperationalError("server closed the connection unexpectedly")
        if statement.startswith("INSERT"):
            if self.writes == 0:
                self.gone = True
                raise OperationalError("server closed the connection unexpectedly")
            self.writes -= 1
        return execute(sql, params, many, context)


def test_the_database_going_away_mid_request_gives_a_clear_page_and_saves_nothing(client, org):
    from soclocal.accounts.models import Agency

    assert Agency.objects.filter(kind=Agency.Kind.POLICE).exists()  # the report has a force
    client.raise_request_exception = False
    # The report's row is written; the database goes before its audit event.
    with connection.execute_wrapper(GoesAway(writes=1)):
        response = client.post(URL, form_data(), REMOTE_ADDR="203.0.113.5")
    page = response.content.decode()
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert "Sorry, the service is unavailable" in page and "nothing was changed" in page
    assert 'class="govuk-heading-l"' in page and "/static/vendor/soclocal.css" in page
    for leak in ("Traceback", "OperationalError", "server closed", "INSERT"):
        assert leak not in page
    assert not Submission.objects.exists()
    assert not AuditEvent.objects.filter(action="intelligence.community.received").exists()
    # Once it is back, the same form goes through.
    assert client.post(URL, form_data(), REMOTE_ADDR="203.0.113.5").status_code == 302
    assert Submission.objects.count() == 1


def test_a_database_gone_before_the_request_reads_anything_gives_the_same_page(client, org):
    client.raise_request_exception = False
    gone = GoesAway(writes=0)
    gone.gone = True
    with connection.execute_wrapper(gone):
        response = client.get("/community/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()


def test_an_unexpected_error_gives_the_service_page_without_details(client, org, settings):
    from django.db import IntegrityError

    def broken(execute, sql, params, many, context):
        raise IntegrityError("constraint failed: secret detail")

    client.raise_request_exception = False
    with connection.execute_wrapper(broken):
        response = client.get("/community/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "secret detail" not in page and "Traceback" not in page
