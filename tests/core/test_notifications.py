"""Notifications: told once per event however often the daily check runs, by email or digest."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from soclocal.cli import main
from soclocal.core import notifications
from soclocal.core.models import Notification
from soclocal.priorities import services as priorities
from soclocal.priorities.models import Threat
from soclocal.responses import services as responses
from tests.priorities.conftest import partners, people  # noqa: F401  (fixtures)


@pytest.fixture
def with_email(people):  # noqa: F811
    for key, user in people.items():
        user.email = f"{key}@example.org"
        user.save(update_fields=["email"])
    return people


@pytest.fixture
def plan(with_email):
    p = with_email
    threat = priorities.raise_threat(p["police_analyst"], kind=Threat.Kind.PLACE,
                                     title="Drug market by the flats")
    return responses.create_plan(p["admin"], threat, title="Close the market", framework="4ds",
                                 objectives="Fewer young people drawn in")


def test_an_action_given_to_an_agency_tells_its_staff_once(plan, with_email, partners,  # noqa: F811
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        action = responses.add_action(with_email["admin"], plan, strand="develop",
                                      title="Secure the stairwell",
                                      owning_agency=partners["housing"],
                                      due_date=timezone.localdate() + timedelta(days=9))
    told = Notification.objects.filter(key=f"action.assigned:{action.pk}")
    assert [n.recipient for n in told] == [with_email["housing"]]
    assert [m.to for m in mail.outbox] == [["housing@example.org"]]
    assert "Secure the stairwell" in mail.outbox[0].subject
    # The daily check finds the same event and says nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_due()
    assert len(mail.outbox) == 1 and told.count() == 1


def test_the_daily_command_sends_overdue_and_reviews_due_once(plan, with_email, partners,  # noqa: F811
                                                              django_capture_on_commit_callbacks):
    today = timezone.localdate()
    action = responses.add_action(with_email["admin"], plan, strand="divert", title="Youth offer",
                                  owning_agency=partners["housing"],
                                  owner=with_email["housing"], due_date=today + timedelta(days=3))
    priorities.decide(with_email["admin"], plan.threat, outcome="respond", reasons="Harm is high",
                      owner=with_email["council_analyst"], review_date=today + timedelta(days=5))
    mail.outbox.clear()
    # Not yet late, nor due for review: only the assignment (already told) would go.
    with django_capture_on_commit_callbacks(execute=True):
        assert main(["notifications", "send-due", "--date", str(today)]) == 0
    assert not Notification.objects.filter(kind__in=["action.overdue", "decision.review_due"])
    later = str(today + timedelta(days=6))
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert main(["notifications", "send-due", "--date", later]) == 0
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["Overdue: Youth offer", "Review due: Drug market by the flats"]
    assert Notification.objects.get(kind="action.overdue").recipient == with_email["housing"]
    assert Notification.objects.get(kind="decision.review_due").recipient == \
        with_email["council_analyst"]
    # Once done, an action is no longer chased.
    responses.update_action(with_email["housing"], action, status="done", note="Delivered")
    assert action.current_status(today + timedelta(days=6)) == "done"


def test_a_digest_gathers_the_day_into_one_email_once(plan, with_email, partners,  # noqa: F811
                                                      django_capture_on_commit_callbacks):
    housing = with_email["housing"]
    notifications.set_digest(housing, True)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        for title in ("Secure the stairwell", "Fix the lights"):
            responses.add_action(with_email["admin"], plan, strand="develop", title=title,
                                 owning_agency=partners["housing"], due_date=today)
    assert mail.outbox == []  # waiting for the digest
    assert main(["notifications", "digest", "--date", str(today)]) == 0
    assert main(["notifications", "send-due", "--date", str(today)]) == 0
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["housing@example.org"] and digest.subject.startswith("Your daily summary")
    assert "Secure the stairwell" in digest.body and "Fix the lights" in digest.body
    assert not Notification.objects.filter(recipient=housing, emailed_at__isnull=True).exists()


def test_a_bad_date_is_a_clear_error(db, capsys):
    assert main(["notifications", "send-due", "--date", "31/12/2026"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_the_page_shows_the_count_marks_read_and_saves_the_digest_choice(
        client, plan, with_email, partners):  # noqa: F811
    housing = with_email["housing"]
    action = responses.add_action(with_email["admin"], plan, strand="develop", title="Lights",
                                  owning_agency=partners["housing"], due_date=timezone.localdate())
    client.force_login(housing)
    page = client.get(reverse("core:notifications")).content.decode()
    assert "New action for Test Housing Association: Lights" in page and "1 unread" in page
    assert 'app-count">1<' in client.get(reverse("core:home")).content.decode()
    n = Notification.objects.get(recipient=housing)
    response = client.post(reverse("core:notifications_read"), {"notification": n.pk})
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    n.refresh_from_db()
    assert n.read_at is not None
    assert "app-count" not in client.get(reverse("core:home")).content.decode()
    # Someone else's notification cannot be marked.
    client.force_login(with_email["youth_practitioner"])
    assert client.post(reverse("core:notifications_read"),
                       {"notification": n.pk}).status_code == 404
    client.force_login(housing)
    client.post(reverse("core:notifications"), {"daily_digest": "on"})
    assert notifications.wants_digest(housing)
