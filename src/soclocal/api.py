"""The API under /api/v1: session sign-in for the browser, bearer tokens for integrations.

Each app adds its own router; every endpoint checks access with `core.access.demand`.
"""

import importlib

from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.security import APIKeyCookie, HttpBearer

from soclocal.accounts.models import ApiToken
from soclocal.core.access import Role, roles_of


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        try:
            found = ApiToken.objects.select_related("user").get(
                key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True)
        except ApiToken.DoesNotExist:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser's session, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


api = NinjaAPI(
    title="soclocal API",
    version="1",
    description="The partnership's data for integrations. Every call is checked against the "
                "caller's roles and agency, as in the web pages.",
    auth=[SessionAuth(), TokenAuth()],
    urls_namespace="api",
)


class Me(Schema):
    username: str
    name: str
    agency: str | None
    team: str | None
    roles: list[str]


@api.get("/me", response=Me, tags=["accounts"], summary="Who the API sees you as")
def me(request):
    user = request.user
    return {
        "username": user.username, "name": user.get_full_name(),
        "agency": user.agency.name if user.agency else None,
        "team": user.team.name if user.team else None,
        "roles": [Role.LABELS[r] for r in sorted(roles_of(user))],
    }


# Each app's router; add a line for a new app.
ROUTERS = [
    "soclocal.areas.api",
    "soclocal.crime.api",
    "soclocal.profiles.api",
    "soclocal.cases.api",
    "soclocal.budgeting.api",
    "soclocal.intelligence.api",
    "soclocal.priorities.api",
    "soclocal.responses.api",
    "soclocal.intelligence.api_network",
    "soclocal.safeguarding.api",
    "soclocal.partnership.api",
]
for module in ROUTERS:
    api.add_router("/", importlib.import_module(module).router)
