"""What a tasking meeting should discuss, worked out from the records (decision 0034).

Everything is judged as on the meeting's date, and "new" means since the previous meeting
(or, for the first, the 31 days before it): priorities whose latest decision is due for review,
open actions overdue or at risk, decisions taken, profiles built, and open intelligence
requirements.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from soclocal.intelligence import selectors as intelligence
from soclocal.priorities.models import Decision

from .models import Action, AgendaItem, Meeting

FIRST_MEETING_LOOKBACK = timedelta(days=31)
K = AgendaItem.Kind


def since(meeting: Meeting):
    previous = (Meeting.objects.filter(starts_at__lt=meeting.starts_at).exclude(pk=meeting.pk)
                .order_by("-starts_at").first())
    return previous.starts_at if previous else meeting.starts_at - FIRST_MEETING_LOOKBACK


def candidates(meeting: Meeting, reader) -> list[dict]:
    """The items for the meeting, in agenda order. `reader` is the organiser, through whose
    access the profiles are read; police-only items are flagged, not left out,
    so the police see them on the agenda and no one else does."""
    on = timezone.localdate(meeting.starts_at)
    start = since(meeting)
    items: list[dict] = []

    latest: dict = {}
    for d in Decision.objects.select_related("threat").order_by("threat_id", "-decided_at", "-pk"):
        latest.setdefault(d.threat_id, d)
    for d in sorted(latest.values(), key=lambda d: (d.review_date, d.pk)):
        if d.review_date <= on and d.decided_at < meeting.starts_at:
            items.append({"kind": K.REVIEW_DUE, "source_key": f"review:{d.pk}",
                          "title": f"Review: {d.threat.title}",
                          "detail": f"{d.get_outcome_display()} decided {d.decided_at:%-d %B %Y}; "
                                    f"review due {d.review_date:%-d %B %Y}. {d.reasons}",
                          "url": d.threat.get_absolute_url(),
                          "police_only": d.threat.police_only})

    open_actions = (Action.objects.exclude(status__in=Action.CLOSED)
                    .select_related("plan__threat", "owning_agency").order_by("due_date", "pk"))
    for kind, wanted in ((K.OVERDUE, Action.OVERDUE), (K.AT_RISK, Action.Status.AT_RISK)):
        for a in open_actions:
            if a.current_status(on) != wanted:
                continue
            items.append({"kind": kind, "source_key": f"action:{a.pk}",
                          "title": f"{a.title} ({a.owning_agency.name})",
                          "detail": f"{a.plan.title}, {a.strand_label}; due "
                                    f"{a.due_date:%-d %B %Y}.",
                          "url": a.get_absolute_url(), "police_only": a.plan.threat.police_only})

    for d in (Decision.objects.filter(decided_at__gte=start, decided_at__lt=meeting.starts_at)
              .select_related("threat").order_by("decided_at", "pk")):
        items.append({"kind": K.DECISION, "source_key": f"decision:{d.pk}",
                      "title": f"Decided: {d.get_outcome_display().lower()} to {d.threat.title}",
                      "detail": d.reasons, "url": d.threat.get_absolute_url(),
                      "police_only": d.threat.police_only})

    from django.urls import reverse

    from soclocal.profiles import selectors as profiles

    for v in (profiles.profile_list(reader)
              .filter(built_at__gte=start, built_at__lt=meeting.starts_at)
              .order_by("built_at", "pk")):
        items.append({"kind": K.PROFILE, "source_key": f"profile:{v.pk}",
                      "title": f"Profile of {v.area.name}, {v.month_from} to {v.month_to} "
                               f"(version {v.version})",
                      "detail": "", "url": reverse("profiles:profile", args=[v.pk]),
                      "police_only": False})

    items.extend(_requirements(meeting))
    return items


def _requirements(meeting) -> list[dict]:
    """Open intelligence requirements tasked to the agencies invited. Their questions come
    from intelligence, so on the agenda they are shown to the police only."""
    agencies = meeting.invited_agencies.all()
    return [{"kind": K.REQUIREMENT, "source_key": f"requirement:{r.pk}",
             "title": f"{r.reference}: {r.question}"[:300],
             "detail": f"Tasked to {r.tasked_agency.name}, answer by {r.due_on:%-d %B %Y}",
             "url": reverse("intelligence:requirement", args=[r.pk]), "police_only": True}
            for r in intelligence.open_requirements_tasked_to(agencies)]
