from django.db.models import Q

from .access import scope
from .models import AuditEvent


def audit_events(user, *, person="", record="", action="", date_from=None, date_to=None):
    """Audit events for the viewer, newest first. Scoped like any other read."""
    qs = scope(user, "audit.view", AuditEvent.objects.all())
    if person:
        qs = qs.filter(Q(actor__icontains=person) | Q(detail__username__icontains=person))
    if record:
        if ":" in record:
            object_type, object_id = record.split(":", 1)
            qs = qs.filter(object_type__icontains=object_type.strip(), object_id=object_id.strip())
        else:
            qs = qs.filter(Q(object_id=record) | Q(object_type__icontains=record))
    if action:
        qs = qs.filter(action__startswith=action)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-seq")


def audit_actions():
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def failed_jobs(user, days=7):
    """The person's own imports and analyses that failed in the last `days` days."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Job

    return scope(user, "jobs.view", Job.objects.filter(
        owner=user, status=Job.Status.FAILED,
        finished_at__gte=timezone.now() - timedelta(days=days))).order_by("-finished_at")
