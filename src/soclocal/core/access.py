"""Need-to-know access: the one place that says who may do what, and over which records.

A role grants capabilities; each grant carries a scope saying which records it reaches:

  own          records the person owns or is assigned to
  team         records of the person's team
  agency       records the person's agency owns
  partnership  every record in the partnership
Records another agency owns are also reachable when shared with the person's agency
(an active `Share`), for capabilities whose grant allows shared records.

Every selector filters through `scope()`; every view is wrapped in `@requires`, every
API endpoint calls `demand()`; refusals are audited.
"""

from dataclasses import dataclass
from enum import IntEnum
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404


class Role:
    PARTNERSHIP_ADMIN = "partnership_admin"
    ANALYST = "analyst"
    INTELLIGENCE_OFFICER = "intelligence_officer"
    PRACTITIONER = "practitioner"
    PEER_MENTOR = "peer_mentor"
    MANAGER = "manager"
    COMMUNITY_FACILITATOR = "community_facilitator"
    BOARD_MEMBER = "board_member"

    CHOICES = [
        (PARTNERSHIP_ADMIN, "Partnership admin"),
        (ANALYST, "Analyst"),
        (INTELLIGENCE_OFFICER, "Intelligence officer"),
        (PRACTITIONER, "Practitioner"),
        (PEER_MENTOR, "Peer mentor"),
        (MANAGER, "Manager"),
        (COMMUNITY_FACILITATOR, "Community facilitator"),
        (BOARD_MEMBER, "Board member"),
    ]
    LABELS = dict(CHOICES)
    ALL = [code for code, _ in CHOICES]


class Scope(IntEnum):
    OWN = 1
    TEAM = 2
    AGENCY = 3
    PARTNERSHIP = 4


R, S = Role, Scope
STAFF = [r for r in Role.ALL]

# capability -> {role: scope}. The single table of who may do what.
CAPABILITIES: dict[str, dict[str, Scope]] = {
    # Partnership set-up
    "partnership.manage": {R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "accounts.manage": {R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "agency.view": {**{r: S.AGENCY for r in STAFF}, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "audit.view": {R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    # Data protection: retention rules, the record of processing and subject access exports
    # (which gather a person's records from every agency) are the partnership admin's.
    "dataprotection.manage": {R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    # Geography (not personal data)
    "areas.view": {r: S.PARTNERSHIP for r in STAFF},
    "areas.import": {R.ANALYST: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "neighbourhood.manage": {
        R.ANALYST: S.AGENCY, R.COMMUNITY_FACILITATOR: S.AGENCY, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP,
    },
    # Personal data: holding any of these means two-factor login in production.
    "personal_data.view": {
        R.INTELLIGENCE_OFFICER: S.AGENCY, R.PRACTITIONER: S.TEAM,
        R.PEER_MENTOR: S.OWN, R.MANAGER: S.TEAM, R.PARTNERSHIP_ADMIN: S.AGENCY,
    },
    "api.token": {r: S.OWN for r in STAFF},
    "jobs.view": {r: S.OWN for r in STAFF},
    "notifications.view": {r: S.OWN for r in STAFF},
    # Crime data and problem profiles
    "profiles.view": {R.ANALYST: S.PARTNERSHIP, R.INTELLIGENCE_OFFICER: S.PARTNERSHIP,
                      R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "profiles.view_shared": {r: S.PARTNERSHIP for r in STAFF},
    "profiles.edit": {R.ANALYST: S.PARTNERSHIP},
    "crime.import": {R.ANALYST: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    # Early intervention cases
    "cases.view": {R.PRACTITIONER: S.TEAM, R.MANAGER: S.TEAM, R.PEER_MENTOR: S.OWN},
    "cases.refer": {R.PRACTITIONER: S.TEAM, R.MANAGER: S.TEAM},
    "cases.record": {R.PRACTITIONER: S.TEAM, R.MANAGER: S.TEAM, R.PEER_MENTOR: S.OWN},
    "cases.manage": {R.MANAGER: S.TEAM},
    "cases.share": {R.PRACTITIONER: S.TEAM, R.MANAGER: S.TEAM},
    "cases.share_override": {R.MANAGER: S.TEAM},
    # The outcomes star instruments are shared by the whole partnership's service.
    "cases.configure": {R.MANAGER: S.PARTNERSHIP},
    "cases.report": {
        R.ANALYST: S.PARTNERSHIP, R.MANAGER: S.AGENCY, R.BOARD_MEMBER: S.PARTNERSHIP,
        R.PARTNERSHIP_ADMIN: S.PARTNERSHIP,
    },
    # Community engagement and participatory budgeting
    "engagement.manage": {R.COMMUNITY_FACILITATOR: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "engagement.view": {
        R.COMMUNITY_FACILITATOR: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP,
        R.ANALYST: S.PARTNERSHIP, R.MANAGER: S.PARTNERSHIP, R.BOARD_MEMBER: S.PARTNERSHIP,
    },
    "budgeting.manage": {R.COMMUNITY_FACILITATOR: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "stories.review": {R.COMMUNITY_FACILITATOR: S.PARTNERSHIP},
    # A community group's space is its own: only its facilitators (and admins) reach it.
    "groups.manage": {R.COMMUNITY_FACILITATOR: S.OWN, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    # Intelligence: anyone may submit and see their own submissions (a manager, the team's);
    # the force's intelligence officers assess, grade, link and release; the source register
    # opens only to a source's named handlers; partners see only what is released to them.
    "intel.submit": {**{r: S.OWN for r in STAFF}, R.MANAGER: S.TEAM},
    "intel.assess": {R.INTELLIGENCE_OFFICER: S.AGENCY},
    "intel.entities": {R.INTELLIGENCE_OFFICER: S.AGENCY},
    "intel.sources": {R.INTELLIGENCE_OFFICER: S.OWN},
    "intel.receive": {R.INTELLIGENCE_OFFICER: S.AGENCY, R.PRACTITIONER: S.AGENCY,
                      R.MANAGER: S.AGENCY, R.ANALYST: S.AGENCY},
    # Priorities: threats, MoRiLE assessments and decisions. Police-only threats reach only
    # people of a police agency (priorities/selectors.py); everyone else gets the sharing list.
    "priorities.view": {R.ANALYST: S.PARTNERSHIP, R.INTELLIGENCE_OFFICER: S.PARTNERSHIP,
                        R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "priorities.view_shared": {r: S.PARTNERSHIP for r in STAFF},
    "priorities.raise": {R.ANALYST: S.PARTNERSHIP, R.INTELLIGENCE_OFFICER: S.PARTNERSHIP,
                         R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "priorities.assess": {R.ANALYST: S.PARTNERSHIP, R.INTELLIGENCE_OFFICER: S.PARTNERSHIP,
                          R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "priorities.decide": {R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "priorities.configure": {R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    # Response plans: partners reach the plans their agency owns an action in.
    "responses.view": {R.ANALYST: S.PARTNERSHIP, R.INTELLIGENCE_OFFICER: S.PARTNERSHIP,
                       R.PARTNERSHIP_ADMIN: S.PARTNERSHIP, R.PRACTITIONER: S.AGENCY,
                       R.MANAGER: S.AGENCY, R.PEER_MENTOR: S.AGENCY,
                       R.COMMUNITY_FACILITATOR: S.AGENCY},
    "responses.plan": {R.ANALYST: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "responses.update": {**{r: S.AGENCY for r in STAFF if r != R.BOARD_MEMBER},
                         R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    # Tasking meetings: the partnership's coordinators and analysts run them; invited agencies'
    # staff (and invited people) see them and their minutes (responses/selectors.py).
    "meetings.view": {**{r: S.AGENCY for r in STAFF if r != R.BOARD_MEMBER},
                      R.ANALYST: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "meetings.manage": {R.ANALYST: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "responses.progress": {R.BOARD_MEMBER: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP,
                           R.ANALYST: S.PARTNERSHIP},
    # Intelligence requirements: officers set them for their force; the tasked agency's staff
    # see and answer those tasked to their agency. Analysts count intelligence, never read it.
    "intel.requirements": {R.INTELLIGENCE_OFFICER: S.AGENCY},
    "intel.tasked": {R.INTELLIGENCE_OFFICER: S.AGENCY, R.PRACTITIONER: S.AGENCY,
                     R.MANAGER: S.AGENCY, R.ANALYST: S.AGENCY},
    "intel.analysis": {R.ANALYST: S.PARTNERSHIP, R.INTELLIGENCE_OFFICER: S.PARTNERSHIP},
    # Protect: vulnerability indicators are aggregates (analysts and admins configure and see
    # the full figures; staff see the index with small counts hidden). NRM referrals are
    # special-category personal data: the first responder agency's practitioners and managers,
    # and intelligence officers.
    "safeguarding.view": {r: S.PARTNERSHIP for r in STAFF},
    "safeguarding.analyse": {R.ANALYST: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "safeguarding.configure": {R.ANALYST: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "nrm.view": {R.PRACTITIONER: S.AGENCY, R.MANAGER: S.AGENCY,
                 R.INTELLIGENCE_OFFICER: S.PARTNERSHIP},
    "nrm.record": {R.PRACTITIONER: S.AGENCY, R.MANAGER: S.AGENCY},
    "nrm.report": {R.ANALYST: S.PARTNERSHIP, R.MANAGER: S.AGENCY, R.BOARD_MEMBER: S.PARTNERSHIP,
                   R.PARTNERSHIP_ADMIN: S.PARTNERSHIP, R.INTELLIGENCE_OFFICER: S.PARTNERSHIP},
    # Places of concern (a park, a shop, an address) are shared across the partnership's
    # frontline staff; the cases and intelligence linked to a place stay behind their own
    # capabilities. Indicators across cases read the person's own or team's cases.
    "places.view": {R.PRACTITIONER: S.PARTNERSHIP, R.MANAGER: S.PARTNERSHIP,
                    R.INTELLIGENCE_OFFICER: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "places.record": {R.PRACTITIONER: S.PARTNERSHIP, R.MANAGER: S.PARTNERSHIP,
                      R.INTELLIGENCE_OFFICER: S.PARTNERSHIP},
    "safeguarding.across_cases": {R.PRACTITIONER: S.TEAM, R.MANAGER: S.TEAM},
    # Adults at risk of cuckooing: police and adult social care only (AGENCY_KINDS below).
    "cuckooing.view": {R.PRACTITIONER: S.AGENCY, R.MANAGER: S.AGENCY,
                       R.INTELLIGENCE_OFFICER: S.PARTNERSHIP},
    "cuckooing.record": {R.PRACTITIONER: S.AGENCY, R.MANAGER: S.AGENCY,
                         R.INTELLIGENCE_OFFICER: S.AGENCY},
    # The partnership: information-sharing agreements (everyone on staff reads them, since
    # every share names one; partnership admins keep them), the directory of services (agency
    # managers keep their own agency's), the map of links between agencies, and the board's
    # dashboard (aggregates only, small counts hidden).
    "agreements.view": {r: S.PARTNERSHIP for r in STAFF},
    "agreements.manage": {R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "directory.view": {r: S.PARTNERSHIP for r in STAFF},
    "directory.manage": {R.PARTNERSHIP_ADMIN: S.PARTNERSHIP, R.MANAGER: S.AGENCY},
    "partnership.network": {R.PARTNERSHIP_ADMIN: S.PARTNERSHIP, R.ANALYST: S.PARTNERSHIP,
                            R.BOARD_MEMBER: S.PARTNERSHIP},
    "dashboards.board": {R.BOARD_MEMBER: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    # Outcome evaluation against police data: evaluating analysts import the extract, link,
    # review uncertain pairs (names and dates of birth), run it and see person-level tables;
    # the board and managers see the sharing version of the report.
    "evaluation.analyse": {R.ANALYST: S.PARTNERSHIP},
    "evaluation.view": {R.ANALYST: S.PARTNERSHIP, R.BOARD_MEMBER: S.PARTNERSHIP,
                        R.MANAGER: S.PARTNERSHIP, R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    # Peer-group maps and MACE panels (decision 0040): special-category data about children,
    # reached by membership only (every grant is OWN: a map's members and the owners of the
    # children's cases; a panel's co-chairs and members; a child's hearing also by the owner of
    # the child's case). Analysts, peer mentors, facilitators and board members have none.
    "mace.view": {R.PRACTITIONER: S.OWN, R.MANAGER: S.OWN, R.INTELLIGENCE_OFFICER: S.OWN,
                  R.PARTNERSHIP_ADMIN: S.OWN},
    "mace.refer": {R.PRACTITIONER: S.TEAM, R.MANAGER: S.TEAM},
    "mace.manage": {R.MANAGER: S.OWN, R.INTELLIGENCE_OFFICER: S.OWN, R.PARTNERSHIP_ADMIN: S.OWN},
    "mace.configure": {R.PARTNERSHIP_ADMIN: S.PARTNERSHIP},
    "peermap.view": {R.PRACTITIONER: S.OWN, R.MANAGER: S.OWN, R.INTELLIGENCE_OFFICER: S.OWN,
                     R.PARTNERSHIP_ADMIN: S.OWN},
    "peermap.edit": {R.PRACTITIONER: S.OWN, R.MANAGER: S.OWN, R.INTELLIGENCE_OFFICER: S.OWN},
}

# Capabilities whose records reach only people of these kinds of agency: `scope()` gives
# nothing, and services refuse, to anyone else (whatever their role).
AGENCY_KINDS: dict[str, set[str]] = {
    "cuckooing.view": {"police", "adult_services"},
    "cuckooing.record": {"police", "adult_services"},
}


def agency_kind_allows(user, capability: str) -> bool:
    kinds = AGENCY_KINDS.get(capability)
    if kinds is None:
        return True
    agency = getattr(user, "agency", None)
    return agency is not None and agency.kind in kinds

# Capabilities whose reach extends to records shared with the person's agency.
SHAREABLE = {"personal_data.view", "cases.view", "cases.record"}


def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_soclocal_roles", None)
    if cached is None:
        cached = set(user.role_grants.values_list("role", flat=True))
        user._soclocal_roles = cached
    return cached


def scope_of(user, capability: str) -> Scope | None:
    """The widest scope any of the user's roles gives for a capability, or None."""
    grants = CAPABILITIES[capability]
    scopes = [grants[r] for r in roles_of(user) if r in grants]
    return max(scopes) if scopes else None


def can(user, capability: str) -> bool:
    return scope_of(user, capability) is not None


def can_see_personal_data(user) -> bool:
    return can(user, "personal_data.view")


@dataclass(frozen=True)
class Ownership:
    """How a model records who owns a record: field names, None where it has no such field.

    A model declares `ownership = Ownership(...)`; the default suits records owned by an
    agency and a team and assigned to a person.
    """

    agency: str | None = "owning_agency"
    team: str | None = "owning_team"
    owners: tuple[str, ...] = ("owner",)


def scope(user, capability: str, queryset):
    """Filter a queryset to the records the user may reach with a capability."""
    fields = getattr(queryset.model, "ownership", Ownership())
    agency, team, owners = fields.agency, fields.team, fields.owners
    reach = scope_of(user, capability)
    if reach is None or not agency_kind_allows(user, capability):
        return queryset.none()
    if reach >= Scope.PARTNERSHIP:
        return queryset
    allowed = Q(pk__in=[])
    if reach >= Scope.AGENCY and agency:
        allowed |= Q(**{agency: user.agency_id})
    if reach >= Scope.TEAM and team and user.team_id:
        allowed |= Q(**{team: user.team_id})
    for field in owners or ():
        allowed |= Q(**{field: user.pk})
    if capability in SHAREABLE:
        allowed |= Q(pk__in=_shared_ids(user, queryset.model))
    return queryset.filter(allowed)


def _shared_ids(user, model):
    from django.contrib.contenttypes.models import ContentType

    from .models import Share

    return Share.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        agency_id=user.agency_id,
        revoked_at__isnull=True,
    ).values("object_id")


def _refuse(request_or_user, capability, obj_type="", obj_id="", not_found=False):
    from . import audit

    user = getattr(request_or_user, "user", request_or_user)
    audit.record(
        "access.denied",
        actor=user if getattr(user, "is_authenticated", False) else None,
        object_type=obj_type,
        object_id=obj_id,
        detail={"capability": capability, "answer": 404 if not_found else 403},
    )


def requires(capability: str):
    """View decorator: log in first; without the capability, a 403 that is audited."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not can(request.user, capability):
                _refuse(request, capability, "view", request.resolver_match.view_name
                        if request.resolver_match else request.path)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.soclocal_capability = capability
        return wrapped

    return decorator


def service(capability: str | None = None):
    """Decorator for write services `fn(actor, ...)`: check, then run in one transaction.

    The check comes first, outside the transaction, so an audited refusal is never rolled
    back. An actor of None is the system itself (set-up commands), which is not checked.
    """

    def decorator(fn):
        @wraps(fn)
        def wrapped(actor, *args, **kwargs):
            if capability and actor is not None and not (
                    can(actor, capability) and agency_kind_allows(actor, capability)):
                _refuse(actor, capability, "service", fn.__qualname__)
                raise PermissionDenied
            with transaction.atomic():
                return fn(actor, *args, **kwargs)

        return wrapped

    return decorator


def get_scoped_or_404(user, capability: str, queryset, **lookup):
    """One record the user may reach, or a 404 that does not reveal whether it exists."""
    try:
        return scope(user, capability, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        _refuse(user, capability, queryset.model._meta.label_lower,
                str(lookup.get("pk", lookup)), not_found=True)
        raise Http404 from None


def demand(request, capability: str):
    """For API endpoints: the same check as `requires`, raising the API's 403."""
    from ninja.errors import HttpError

    if not can(request.user, capability):
        _refuse(request, capability, "api", request.path)
        raise HttpError(403, "You do not have access to this.")
