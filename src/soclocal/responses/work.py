from soclocal.core import work
from soclocal.core.access import can

from . import selectors


@work.provider
def actions_due(user):
    if not can(user, "responses.update") or not user.agency_id:
        return
    for a in selectors.actions_due(user):
        yield work.WorkItem("Actions due", f"{a.title} ({a.plan.title})", a.get_absolute_url(),
                            due=a.due_date, urgent=a.current_status() == a.OVERDUE)
