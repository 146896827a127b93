"""What intelligence needs from people today, for the home page's work queue."""

from django.urls import reverse

from soclocal.core import work
from soclocal.core.access import can

from . import selectors


@work.provider
def intelligence_work(user):
    if can(user, "intel.assess"):
        for s in selectors.submissions_to_assess(user):
            urgent = s.urgent_safeguarding
            yield work.WorkItem(
                "Urgent safeguarding concern" if urgent else "Intelligence to assess",
                f"{s.reference} from {s.sender}: {s.where}",
                reverse("intelligence:submission", args=[s.pk]), urgent=urgent)
        for r in selectors.reviews_due(user):
            yield work.WorkItem("Intelligence report to review", f"{r.reference}: {r.title}",
                                reverse("intelligence:report", args=[r.pk]), due=r.review_on)
        for v in selectors.sanitised_awaiting_review(user):
            yield work.WorkItem("Sanitised version to review",
                                f"{v.report.reference}: check nothing identifies the source",
                                reverse("intelligence:report", args=[v.report_id]))
    if can(user, "intel.submit"):
        for s in selectors.urgent_for_manager(user):
            yield work.WorkItem(
                "Urgent safeguarding concern",
                f"{s.reference} from {s.submitted_by.get_full_name() or s.submitted_by}: "
                "sent to the police intelligence officers",
                reverse("intelligence:submission", args=[s.pk]), urgent=True)


@work.provider
def requirements_work(user):
    """Open requirements: the force's officers follow up theirs (overdue first); the tasked
    agency's staff answer what is asked of them."""
    for r in selectors.open_requirements(selectors.requirements_set(user)):
        yield work.WorkItem("Intelligence requirement open",
                            f"{r.reference} asked of {r.tasked_agency}",
                            reverse("intelligence:requirement", args=[r.pk]), due=r.due_on)
    for r in selectors.open_requirements(selectors.requirements_tasked(user)):
        yield work.WorkItem("Intelligence requirement to answer",
                            f"{r.reference} from {r.owning_agency}",
                            reverse("intelligence:requirement", args=[r.pk]), due=r.due_on)
