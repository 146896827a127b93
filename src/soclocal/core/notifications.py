"""Telling people what needs them: one mechanism for every context (decision 0033).

`notify(recipients, kind, subject, text, url, key)` stores a notification for each person and
emails it, at most once per (person, key): the key names the event ("action.assigned:12"), so a
daily check that runs again, or a service and the check both noticing the same event, never
tells anyone twice. People who chose a daily digest get no email per event; `send_digests`
sends each of them one email listing what waits, once a day.

`send_due(today)` finds what has fallen due (actions newly assigned, actions overdue, reviews
due, meeting invitations) through the checks apps register with `@due_check`, then sends the
digests; `soclocal notifications send-due` runs it (daily, from cron or a timer).
"""

from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from .models import Notification, NotificationSetting

_checks: list[Callable] = []


def due_check(fn: Callable) -> Callable:
    """Register `fn(today) -> int` (how many it notified) to run in `send_due`."""
    if fn not in _checks:
        _checks.append(fn)
    return fn


def wants_digest(user) -> bool:
    return NotificationSetting.objects.filter(user=user, daily_digest=True).exists()


def set_digest(user, daily_digest: bool) -> None:
    NotificationSetting.objects.update_or_create(user=user,
                                                 defaults={"daily_digest": daily_digest})


def _absolute(url: str) -> str:
    base = getattr(settings, "SOCLOCAL_BASE_URL", "") or ""
    return f"{base.rstrip('/')}{url}" if url.startswith("/") and base else url


def _email(user, subject: str, body: str) -> bool:
    if not user.email:
        return False
    send_mail(subject, body, None, [user.email])
    return True


def notify(recipients: Iterable, kind: str, subject: str, text: str, url: str,
           key: str) -> list[Notification]:
    """Store and email a notification to each active recipient who has not had `key` yet.
    Returns the notifications made now (empty when everyone already had it)."""
    made = []
    seen = set()
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        try:
            with transaction.atomic():
                n = Notification.objects.create(recipient=user, kind=kind, key=key[:120],
                                                subject=subject[:200], text=text, url=url)
        except IntegrityError:
            continue  # told already
        if not wants_digest(user):
            # Stored first, emailed after the surrounding work commits: a rolled-back action
            # sends nothing.
            transaction.on_commit(lambda n=n, u=user: _send_one(n, u))
        made.append(n)
    return made


def _send_one(n: Notification, user) -> None:
    body = f"{n.text}\n\n{_absolute(n.url)}\n" if n.url else f"{n.text}\n"
    if _email(user, n.subject, body):
        Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now())


def send_digests(today: date | None = None) -> int:
    """One email per person who chose a digest and has notifications not yet emailed; at
    most one digest a day each. Returns how many digests went."""
    today = today or timezone.localdate()
    sent = 0
    for setting in NotificationSetting.objects.filter(daily_digest=True).select_related("user"):
        user = setting.user
        if setting.last_digest_on == today or not user.is_active:
            continue
        waiting = list(Notification.objects.filter(recipient=user, emailed_at__isnull=True)
                       .order_by("created_at", "pk"))
        if not waiting:
            continue
        lines = [f"- {n.subject}\n  {_absolute(n.url)}" if n.url else f"- {n.subject}"
                 for n in waiting]
        body = (ngettext("%(count)d thing for you today:", "%(count)d things for you today:",
                         len(waiting)) % {"count": len(waiting)}
                + "\n\n" + "\n".join(lines) + "\n")
        if _email(user, gettext("Your daily summary: %(count)d new") % {"count": len(waiting)},
                  body):
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
                emailed_at=timezone.now())
            sent += 1
        setting.last_digest_on = today
        setting.save(update_fields=["last_digest_on"])
    return sent


def send_due(today: date | None = None) -> dict:
    """Run every registered check, then the digests. Safe to run as often as you like."""
    today = today or timezone.localdate()
    notified = sum(check(today) for check in _checks)
    return {"notified": notified, "digests": send_digests(today)}


# Reading, for the notifications page and the count in the header.

def for_user(user):
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return for_user(user).filter(read_at__isnull=True).count()


def mark_read(user, pk=None) -> int:
    qs = for_user(user).filter(read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())
