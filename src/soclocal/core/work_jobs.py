"""The shared kernel's own work for the home page: imports and analyses that failed."""

from django.urls import reverse

from . import work
from .access import can
from .selectors import failed_jobs


@work.provider
def jobs_failed(user):
    if not can(user, "jobs.view"):
        return
    for job in failed_jobs(user):
        yield work.WorkItem("Failed imports and analyses", f"{job.title} did not finish",
                            reverse("core:job", args=[job.pk]))


@work.provider
def retention_due(user):
    """For the partnership admin: records due for review, and any deletion or anonymisation
    the daily `soclocal retention --apply` has not done (a sign it is not scheduled)."""
    if not can(user, "dataprotection.manage"):
        return
    from . import retention

    url = reverse("core:retention")
    for row in retention.summary():
        if not row["due"]:
            continue
        bound = row["bound"]
        if row["rule"].action == retention.REVIEW:
            text = f"{row['due']} {bound.verbose_name.lower()} to review ({bound.period_text})"
        else:
            text = (f"{row['due']} {bound.verbose_name.lower()} past their retention period "
                    f"not yet {'deleted' if row['rule'].action == retention.DELETE else 'anonymised'}")
        yield work.WorkItem("Retention", text, url)
