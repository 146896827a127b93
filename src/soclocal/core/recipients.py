"""Who to tell: the people of an agency who hold a capability."""

from .access import CAPABILITIES


def agency_staff(agency_id, capability: str):
    from soclocal.accounts.models import User

    roles = list(CAPABILITIES[capability])
    return User.objects.filter(agency_id=agency_id, is_active=True,
                               role_grants__role__in=roles).distinct().order_by("pk")
