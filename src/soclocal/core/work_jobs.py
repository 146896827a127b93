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
