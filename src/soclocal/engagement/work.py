"""Community engagement work for the home page: events coming up and residents waiting to hear
about joining a group."""

from datetime import timedelta

from django.urls import reverse

from soclocal.core import work
from soclocal.core.access import can

from . import selectors

# The public form tells residents a facilitator usually answers within two weeks.
ANSWER_WITHIN_DAYS = 14


@work.provider
def events_to_come(user):
    if not can(user, "engagement.manage"):
        return
    for event in selectors.events_to_come(user):
        where = f" · {event.place}" if event.place else ""
        kind = event.get_kind_display()
        what = event.title if event.title.startswith(kind) else f"{kind}: {event.title}"
        yield work.WorkItem("Events coming up", f"{what}{where}",
                            reverse("engagement:event", args=[event.pk]), due=event.date)


@work.provider
def join_requests(user):
    if not can(user, "groups.manage"):
        return
    for row in selectors.unanswered_join_requests(user):
        n = row["n"]
        yield work.WorkItem(
            "Requests to join a group",
            f"{n} resident{'s' if n != 1 else ''} asking to join {row['group__name']}",
            reverse("engagement:join_requests", args=[row["group"]]),
            due=row["oldest"].date() + timedelta(days=ANSWER_WITHIN_DAYS))
