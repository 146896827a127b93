import pytest
from django.core.management import call_command
from django.urls import reverse

from soclocal.core import jobs
from soclocal.core.access import Role
from soclocal.core.imports import ImportFailed, ImportProblem
from soclocal.core.models import AuditEvent, Job


def count_to(actor, *, progress, upto):
    for i in range(upto + 1):
        progress(i, upto, f"counted {i}")
    return {"counted": upto, "by": actor.username, "url": "/"}


def fail_with_problems(actor, *, progress):
    raise ImportFailed([ImportProblem("a.csv", "bad month '2023-13'", line=3, field="Month")])


def run_worker():
    # The worker closes its database connection between tasks, as a long-running process
    # should; tests that run it use a real transaction (transaction=True) for that reason.
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_in_the_worker_and_records_its_result(make_user):
    user = make_user(Role.ANALYST)
    job = jobs.start(user, "test", "Counting", "tests.core.test_jobs.count_to", upto=50)
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.percent == 100
    assert job.result == {"counted": 50, "by": user.username, "url": "/"}
    assert job.result_url == "/"
    actions = set(AuditEvent.objects.filter(object_id=str(job.pk)).values_list("action", flat=True))
    assert actions == {"job.started", "job.finished"}


@pytest.mark.django_db(transaction=True)
def test_a_failed_job_keeps_every_problem_for_the_person(client, make_user):
    user = make_user(Role.ANALYST)
    job = jobs.start(user, "test", "Importing", "tests.core.test_jobs.fail_with_problems")
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors == ["a.csv, line 3, field Month: bad month '2023-13'"]
    client.force_login(user)
    status = client.get(reverse("core:job_status", args=[job.pk])).json()
    assert status["finished"] and status["errors"] == job.errors
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "bad month" in page and "Nothing was changed" in page


def test_only_the_owner_sees_a_job(client, make_user):
    owner = make_user(Role.ANALYST)
    other = make_user(Role.ANALYST)
    job = jobs.start(owner, "test", "Counting", "tests.core.test_jobs.count_to", upto=3)
    client.force_login(other)
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor_id=other.pk).exists()


@pytest.mark.parametrize("upto", [1, 7])
def test_progress_is_visible_while_running(make_user, upto):
    user = make_user(Role.ANALYST)
    job = Job.objects.create(kind="t", title="t", owner=user)
    jobs._progress_writer(job.pk)(0, upto, "starting")
    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (0, upto, "starting")
