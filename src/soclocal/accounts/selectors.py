"""Reads of the partnership's structure, always scoped to what the asker may see."""

from django.db.models import Prefetch, Q

from soclocal.core.access import scope

from .models import Agency, ApiToken, Partnership, RoleGrant, Team, User


def partnership_name() -> str:
    p = Partnership.objects.order_by("pk").only("name").first()
    return p.name if p else "soclocal"


def visible_agencies(user):
    return scope(user, "agency.view", Agency.objects.all())


def agency_detail(user, agency):
    teams = Team.objects.filter(agency=agency).order_by("name")
    people = (
        User.objects.filter(agency=agency)
        .select_related("team")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")))
    )
    return {"teams": teams, "people": people}


def accounts(user, *, query: str = "", agency_id: int | None = None, include_inactive=True):
    qs = scope(user, "accounts.manage", User.objects.all())
    if query:
        qs = qs.filter(Q(username__icontains=query) | Q(first_name__icontains=query)
                       | Q(last_name__icontains=query) | Q(email__icontains=query))
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.select_related("agency", "team").prefetch_related("role_grants")


def account_listing():
    """Every account, for `soclocal users` (an operator's command, not a web view)."""
    rows = []
    for u in User.objects.select_related("agency", "team").prefetch_related("role_grants"):
        rows.append({
            "username": u.username,
            "name": u.get_full_name(),
            "agency": u.agency.name if u.agency else None,
            "team": u.team.name if u.team else None,
            "roles": sorted(g.role for g in u.role_grants.all()),
            "active": u.is_active,
        })
    return rows


def api_tokens(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def locked_accounts(user):
    """Active accounts the admin manages that are locked out by failed sign-ins."""
    from axes.models import AccessAttempt
    from django.conf import settings

    usernames = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT).values("username")
    return accounts(user, include_inactive=False).filter(username__in=usernames) \
        .order_by("username")
