"""Account work for the home page: accounts locked after failed sign-ins, for the admins who
can unlock them."""

from django.conf import settings
from django.urls import reverse

from soclocal.core import work
from soclocal.core.access import can

from . import selectors


@work.provider
def locked_accounts(user):
    if not can(user, "accounts.manage"):
        return
    locked = selectors.locked_accounts(user)
    for person in locked:
        yield work.WorkItem("Locked accounts",
                            f"{person.get_full_name() or person.username} cannot sign in after "
                            f"{settings.AXES_FAILURE_LIMIT} wrong passwords",
                            reverse("accounts:person", args=[person.pk]), urgent=False)
