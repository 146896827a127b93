import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from soclocal.accounts import services
from soclocal.accounts.models import RoleGrant, User
from soclocal.core.access import Role
from soclocal.core.models import AuditEvent


def test_admin_creates_agency_team_and_account_with_one_time_link(make_user, org):
    admin = make_user(Role.PARTNERSHIP_ADMIN)
    agency = services.create_agency(admin, name="Riverside School", kind="education")
    team = services.create_team(admin, agency=agency, name="Pastoral")
    user, link = services.create_account(
        admin, username="New.Person", first_name="New", last_name="Person", email="n@example.org",
        agency=agency, team=team, roles=[Role.PRACTITIONER, Role.MANAGER])
    assert user.username == "new.person"
    assert not user.has_usable_password()
    assert link.startswith("/account/set-password/")
    assert set(user.roles) == {Role.PRACTITIONER, Role.MANAGER}
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert {"agency.created", "team.created", "account.created"} <= set(actions)
    created = AuditEvent.objects.get(action="account.created", object_id=str(user.pk))
    assert created.actor == admin.username and created.agency == admin.agency.name


def test_initial_password_must_be_changed(make_user, org):
    admin = make_user(Role.PARTNERSHIP_ADMIN)
    user, secret = services.create_account(
        admin, username="temp", first_name="T", last_name="P", email="", agency=org["police"],
        team=None, roles=[Role.ANALYST], password="Temporary-pass-123")
    assert user.must_change_password and user.check_password("Temporary-pass-123")
    services.set_own_password(user, "A-brand-new-pass-456")
    user.refresh_from_db()
    assert not user.must_change_password


@pytest.mark.parametrize("role", [r for r in Role.ALL if r != Role.PARTNERSHIP_ADMIN])
def test_only_partnership_admins_manage_accounts_and_refusals_are_audited(make_user, org, role):
    actor = make_user(role)
    with pytest.raises(PermissionDenied):
        services.create_account(actor, username="x", first_name="X", last_name="Y", email="",
                                agency=org["police"], team=None, roles=[Role.ANALYST])
    with pytest.raises(PermissionDenied):
        services.create_agency(actor, name="Rogue agency", kind="other")
    denied = AuditEvent.objects.filter(action="access.denied", actor_id=actor.pk)
    assert denied.count() == 2
    assert not User.objects.filter(username="x").exists()


def test_accounts_are_deactivated_never_deleted(make_user, org):
    admin = make_user(Role.PARTNERSHIP_ADMIN)
    user = make_user(Role.PRACTITIONER)
    with pytest.raises(ValidationError):
        services.deactivate_account(admin, user, reason="  ")
    services.deactivate_account(admin, user, reason="Left the service")
    user.refresh_from_db()
    assert not user.is_active and user.deactivated_at is not None
    with pytest.raises(PermissionError):
        user.delete()
    services.reactivate_account(admin, user)
    user.refresh_from_db()
    assert user.is_active
    assert AuditEvent.objects.filter(action="account.deactivated", object_id=str(user.pk)).exists()


def test_team_must_belong_to_the_agency(make_user, org):
    admin = make_user(Role.PARTNERSHIP_ADMIN)
    with pytest.raises(ValidationError) as e:
        services.create_account(admin, username="mix", first_name="M", last_name="X", email="",
                                agency=org["police"], team=org["youth_team"], roles=[Role.ANALYST])
    assert "team" in e.value.message_dict


def test_roles_can_change_and_are_audited(make_user, org):
    admin = make_user(Role.PARTNERSHIP_ADMIN)
    user = make_user(Role.PRACTITIONER)
    services.update_account(admin, user, first_name="A", last_name="B", email="", job_title="",
                            team=None, roles=[Role.MANAGER, Role.PEER_MENTOR])
    assert set(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == {
        Role.MANAGER, Role.PEER_MENTOR}
    event = AuditEvent.objects.get(action="account.changed")
    assert event.detail["before"]["roles"] == [Role.PRACTITIONER]


def test_duplicate_agency_and_username_are_refused(make_user, org):
    admin = make_user(Role.PARTNERSHIP_ADMIN, username="boss")
    with pytest.raises(ValidationError):
        services.create_agency(admin, name="test police", kind="police")
    with pytest.raises(ValidationError):
        services.create_account(admin, username="BOSS", first_name="B", last_name="C", email="",
                                agency=org["police"], team=None, roles=[Role.ANALYST])


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2(make_user):
    user = make_user(Role.ANALYST)
    assert user.password.startswith("argon2$")
    assert user.check_password("correct-horse-battery-9")
