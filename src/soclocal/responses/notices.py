"""Notifications about actions: assigned to an agency, and overdue (decision 0033)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from soclocal.core import notifications
from soclocal.core.recipients import agency_staff

from .models import Action


def _recipients(action: Action):
    """The named owner if there is one, else the owning agency's staff who update actions."""
    if action.owner_id:
        return [action.owner]
    return list(agency_staff(action.owning_agency_id, "responses.update"))


def action_assigned(action: Action) -> int:
    return len(notifications.notify(
        _recipients(action), "action.assigned",
        _("New action for %(agency)s: %(action)s") % {"agency": action.owning_agency.name,
                                                       "action": action.title},
        _('%(plan)s: "%(action)s" is yours, due %(date)s.') % {
            "plan": action.plan.title, "action": action.title,
            "date": date_format(action.due_date, "j F Y")},
        action.get_absolute_url(), f"action.assigned:{action.pk}"))


def action_overdue(action: Action) -> int:
    return len(notifications.notify(
        _recipients(action), "action.overdue", _("Overdue: %(action)s") % {"action": action.title},
        _('%(plan)s: "%(action)s" was due %(date)s. Update it, or say what is holding it '
          'up.')
        % {"plan": action.plan.title, "action": action.title,
           "date": date_format(action.due_date, "j F Y")},
        action.get_absolute_url(), f"action.overdue:{action.pk}"))


@notifications.due_check
def assigned(today) -> int:
    # Every open action's owners hear of it once, even if it was added without the service.
    return sum(action_assigned(a) for a in Action.objects.exclude(status__in=Action.CLOSED)
               .select_related("plan", "owning_agency", "owner"))


@notifications.due_check
def overdue(today) -> int:
    late = Action.objects.exclude(status__in=Action.CLOSED).filter(
        Q(due_date__lt=today)).select_related("plan", "owning_agency", "owner")
    return sum(action_overdue(a) for a in late)


def meeting_invitation(meeting) -> int:
    from . import selectors

    when = timezone.localtime(meeting.starts_at)
    values = {"meeting": meeting.title, "date": date_format(when, "j F Y"),
              "time": f"{when:%H:%M}", "place": meeting.location}
    invited = (_("You are invited to %(meeting)s on %(date)s at %(time)s at %(place)s.")
               if meeting.location else
               _("You are invited to %(meeting)s on %(date)s at %(time)s.")) % values
    return len(notifications.notify(
        selectors.invitees(meeting), "meeting.invited",
        _("Invitation: %(meeting)s") % {"meeting": meeting.title},
        invited + " " + _("The agenda and a calendar invitation are on the meeting's page."),
        meeting.get_absolute_url(), f"meeting.invited:{meeting.pk}"))


@notifications.due_check
def invitations(today) -> int:
    # People who joined an invited agency after the meeting was set still hear of it.
    from .models import Meeting

    return sum(meeting_invitation(m) for m in Meeting.objects.filter(starts_at__date__gte=today))
