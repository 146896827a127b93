"""Every change to the partnership, its agencies, teams and accounts: checked, written, audited."""

import re
import secrets

from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from soclocal.core import audit
from soclocal.core.access import Role, service

from .models import Agency, ApiToken, Partnership, RoleGrant, Team, User


def get_or_create_partnership(name: str, area_description: str = "") -> Partnership:
    partnership = Partnership.objects.order_by("pk").first()
    if partnership is None:
        partnership = Partnership.objects.create(name=name, area_description=area_description)
        audit.record("partnership.created", actor=None, obj=partnership, detail={"name": name})
    return partnership


def _check_agency(name, kind):
    errors = {}
    if not (name or "").strip():
        errors["name"] = "Enter the agency's name."
    if kind not in Agency.Kind.values:
        errors["kind"] = "Choose the kind of agency."
    if errors:
        raise ValidationError(errors)


@service("partnership.manage")
def create_agency(actor, *, name: str, kind: str) -> Agency:
    _check_agency(name, kind)
    if Agency.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("An agency with this name already exists.")})
    partnership = get_or_create_partnership("Local partnership")
    agency = Agency.objects.create(partnership=partnership, name=name.strip(), kind=kind)
    audit.record("agency.created", actor=actor, obj=agency, detail={"name": agency.name, "kind": kind})
    return agency


@service("partnership.manage")
def update_agency(actor, agency: Agency, *, name: str, kind: str, active: bool) -> Agency:
    _check_agency(name, kind)
    if Agency.objects.filter(name__iexact=name.strip()).exclude(pk=agency.pk).exists():
        raise ValidationError({"name": _("An agency with this name already exists.")})
    before = {"name": agency.name, "kind": agency.kind, "active": agency.active}
    agency.name, agency.kind, agency.active = name.strip(), kind, active
    agency.save()
    after = {"name": agency.name, "kind": agency.kind, "active": agency.active}
    audit.record("agency.changed", actor=actor, obj=agency, detail={"before": before, "after": after})
    return agency


@service("partnership.manage")
def create_team(actor, *, agency: Agency, name: str) -> Team:
    if not (name or "").strip():
        raise ValidationError({"name": _("Enter the team's name.")})
    if Team.objects.filter(agency=agency, name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("This agency already has a team with this name.")})
    team = Team.objects.create(agency=agency, name=name.strip())
    audit.record("team.created", actor=actor, obj=team, detail={"agency": agency.name, "name": team.name})
    return team


# The same rule as the new account form's.
USERNAME = re.compile(r"[a-zA-Z0-9_.-]{3,150}")


def _check_roles(roles):
    unknown = set(roles) - set(Role.ALL)
    if unknown:
        raise ValidationError({"roles": _("Unknown roles: %(roles)s.")
                               % {"roles": ", ".join(sorted(unknown))}})
    if not roles:
        raise ValidationError({"roles": _("Choose at least one role.")})


def _check_team(agency, team):
    if team is not None and team.agency_id != agency.pk:
        raise ValidationError({"team": _("The team must belong to the person's agency.")})


@service("accounts.manage")
def create_account(actor, *, username: str, first_name: str, last_name: str, email: str,
                   agency: Agency, team: Team | None, roles: list[str], job_title: str = "",
                   password: str | None = None, must_change_password: bool = True):
    """Create an account. Without a password, returns a one-time link to set one.

    Returns (user, secret): secret is the initial password or the set-password path.
    """
    username = username.strip().lower()
    errors = {}
    if not USERNAME.fullmatch(username):
        errors["username"] = "Use letters, numbers, dots, dashes or underscores (3 or more)."
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = "This username is taken."
    for name, value in (("first_name", first_name), ("last_name", last_name)):
        if not (value or "").strip():
            errors[name] = "Enter the person's " + name.replace("_", " ") + "."
    if errors:
        raise ValidationError(errors)
    _check_roles(roles)
    _check_team(agency, team)
    user = User(username=username, first_name=first_name.strip(), last_name=last_name.strip(),
                email=email.strip(), agency=agency, team=team, job_title=job_title.strip(),
                must_change_password=must_change_password)
    if password:
        user.set_password(password)
        secret = password
    else:
        user.set_unusable_password()
        secret = None
    user.save()
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in sorted(set(roles))])
    if secret is None:
        secret = set_password_link(user)
    audit.record("account.created", actor=actor, obj=user,
                 detail={"username": username, "agency": agency.name,
                         "team": team.name if team else "", "roles": sorted(set(roles)),
                         "method": "initial password" if password else "one-time link"})
    return user, secret


def generate_initial_password() -> str:
    return secrets.token_urlsafe(12)


def set_password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:set_password", args=[uid, token])


@service("accounts.manage")
def issue_set_password_link(actor, user: User) -> str:
    link = set_password_link(user)
    audit.record("account.link_issued", actor=actor, obj=user)
    return link


@service("accounts.manage")
def update_account(actor, user: User, *, first_name, last_name, email, job_title, team,
                   roles) -> User:
    _check_roles(roles)
    _check_team(user.agency, team)
    before = {"team": user.team.name if user.team else "", "roles": user.roles}
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.email, user.job_title, user.team = email.strip(), job_title.strip(), team
    user.save()
    RoleGrant.objects.filter(user=user).exclude(role__in=roles).delete()
    for role in set(roles) - set(before["roles"]):
        RoleGrant.objects.create(user=user, role=role)
    after = {"team": team.name if team else "", "roles": sorted(set(roles))}
    audit.record("account.changed", actor=actor, obj=user, detail={"before": before, "after": after})
    return user


REASON_LENGTH = 500  # the deactivation form's box


@service("accounts.manage")
def deactivate_account(actor, user: User, *, reason: str) -> User:
    if actor is not None and actor.pk == user.pk:
        raise ValidationError({"reason": _("You cannot deactivate your own account.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the account is being deactivated.")})
    if len(reason.strip()) > REASON_LENGTH:
        raise ValidationError({"reason": _("Say why in %(n)s characters or fewer.")
                               % {"n": REASON_LENGTH}})
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record("account.deactivated", actor=actor, obj=user, detail={"reason": reason.strip()})
    return user


@service("accounts.manage")
def reactivate_account(actor, user: User) -> User:
    user.is_active = True
    user.deactivated_at = None
    user.save(update_fields=["is_active", "deactivated_at"])
    audit.record("account.reactivated", actor=actor, obj=user)
    return user


@service("accounts.manage")
def unlock_account(actor, user: User) -> None:
    from axes.utils import reset

    reset(username=user.username)
    audit.record("account.unlocked", actor=actor, obj=user)


@transaction.atomic
def set_own_password(user: User, new_password: str) -> None:
    # The forms check this too; a caller that skips them must not set an empty or weak one.
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as weak:
        raise ValidationError({"new_password2": weak.messages}) from None
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit.record("account.password_changed", actor=user, obj=user)


@service("api.token")
def create_api_token(user: User, *, name: str) -> tuple[ApiToken, str]:
    key = "scl_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip() or "Integration",
                                    prefix=key[:10], key_hash=ApiToken.hash_key(key))
    audit.record("api_token.created", actor=user, obj=token, detail={"name": token.name})
    return token, key


@transaction.atomic
def revoke_api_token(user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record("api_token.revoked", actor=user, obj=token)
