"""Every role against every page and API endpoint: allowed or refused, as the table says.

A new page or endpoint fails `test_every_route_is_in_the_matrix` until it is added here.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from soclocal.api import api
from soclocal.core.access import CAPABILITIES, Role
from soclocal.core.models import AuditEvent

# Each app's pages and endpoints come from tests/<app>/matrix.py, which provides PAGES, API,
# context() (records the URLs need), url_kwargs(name, ctx) and api_path(template, ctx).
APP_MATRICES = [
    importlib.import_module(f"tests.{p.parent.name}.matrix")
    for p in sorted(Path(__file__).resolve().parents[1].glob("*/matrix.py"))
]

PUBLIC, SIGNED_IN = "public", "signed-in"

# url name -> (who may use it, does it only accept POST)
PAGES = {
    "core:home": (SIGNED_IN, False),
    "core:audit": ("audit.view", False),
    "core:healthz": (PUBLIC, False),
    "core:job": ("jobs.view", False),
    "core:job_status": ("jobs.view", False),
    "accounts:login": (PUBLIC, False),
    "accounts:logout": (PUBLIC, True),
    "accounts:account": (SIGNED_IN, False),
    "accounts:password_change": (SIGNED_IN, False),
    "accounts:set_password": (PUBLIC, False),
    "accounts:two_factor_setup": (SIGNED_IN, False),
    "accounts:two_factor_verify": (SIGNED_IN, False),
    "accounts:tokens": ("api.token", False),
    "accounts:token_revoke": ("api.token", True),
    "accounts:agencies": ("agency.view", False),
    "accounts:agency_new": ("partnership.manage", False),
    "accounts:agency": ("agency.view", False),
    "accounts:agency_edit": ("partnership.manage", False),
    "accounts:team_new": ("partnership.manage", True),
    "accounts:people": ("accounts.manage", False),
    "accounts:person_new": ("accounts.manage", False),
    "accounts:person": ("accounts.manage", False),
    "accounts:person_action": ("accounts.manage", True),
}
for _m in APP_MATRICES:
    PAGES.update(_m.PAGES)

# API path template -> capability
API = {
    "/api/v1/me": SIGNED_IN,
}
for _m in APP_MATRICES:
    API.update(_m.API)


def route_names():
    names = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "api":
                    continue
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_route_is_in_the_matrix():
    assert route_names() == set(PAGES)
    schema_paths = set(api.get_openapi_schema()["paths"])
    assert schema_paths == set(API)


def test_every_protected_view_declares_the_capability_the_matrix_expects():
    resolver = get_resolver()
    for name, (rule, _post) in PAGES.items():
        if rule in (PUBLIC, SIGNED_IN):
            continue
        assert rule in CAPABILITIES, name
        view = resolver.resolve(reverse(name, kwargs=url_kwargs_placeholder(name))).func
        assert getattr(view, "soclocal_capability", None) == rule, name


def url_kwargs_placeholder(name, ctx=None):
    ctx = ctx or {}
    kwargs = {
        "accounts:set_password": {"uidb64": "MQ", "token": "x-y"},
        "core:job": {"pk": ctx.get("job", "00000000-0000-0000-0000-000000000000")},
        "core:job_status": {"pk": ctx.get("job", "00000000-0000-0000-0000-000000000000")},
        "accounts:token_revoke": {"pk": ctx.get("token", 1)},
        "accounts:agency": {"pk": ctx.get("agency", 1)},
        "accounts:agency_edit": {"pk": ctx.get("agency", 1)},
        "accounts:team_new": {"pk": ctx.get("agency", 1)},
        "accounts:person": {"pk": ctx.get("person", 1)},
        "accounts:person_action": {"pk": ctx.get("person", 1), "action": "unlock"},
    }.get(name)
    if kwargs is not None:
        return kwargs
    for m in APP_MATRICES:
        if name in m.PAGES:
            return m.url_kwargs(name, ctx)
    return None


def expected_allowed(user_roles, rule):
    if rule in (PUBLIC, SIGNED_IN):
        return True
    return any(r in CAPABILITIES[rule] for r in user_roles)


@pytest.fixture
def world(make_user, org, db):
    users = {role: make_user(role) for role in Role.ALL}
    # Each person's own agency (youth), so agency-scoped pages are in scope.
    token = users[Role.ANALYST].api_tokens.create(name="t", prefix="x", key_hash="0" * 64)
    from soclocal.core.models import Job

    jobs = {role: Job.objects.create(kind="test", title="t", owner=u).pk for role, u in users.items()}
    world = {"users": users, "jobs": jobs, "ctx": {"agency": org["youth"].pk, "person": users[Role.PEER_MENTOR].pk,
                                    "token": token.pk}}
    for m in APP_MATRICES:
        world["ctx"].update(m.context())
    # Records only their own maker can reach (a submission), one per role.
    world["role_ctx"] = {role: {k: v for m in APP_MATRICES if hasattr(m, "role_context")
                                for k, v in m.role_context(u).items()}
                         for role, u in users.items()}
    return world


@pytest.mark.parametrize("role", Role.ALL)
def test_each_role_against_every_page(client, world, role):
    user = world["users"][role]
    client.force_login(user)
    ctx = {**world["ctx"], "job": world["jobs"][role], **world["role_ctx"][role]}
    for name, (rule, post_only) in PAGES.items():
        if name == "accounts:logout":
            continue
        url = reverse(name, kwargs=url_kwargs_placeholder(name, ctx))
        response = client.get(url)
        allowed = expected_allowed({role}, rule)
        if name == "accounts:token_revoke" and role != Role.ANALYST and allowed:
            allowed_codes = {404, 405}  # someone else's token
        elif post_only:
            allowed_codes = {405}
        else:
            allowed_codes = {200, 302, 400}
        if allowed:
            assert response.status_code in allowed_codes, (role, name, response.status_code)
        else:
            assert response.status_code in (403, 404), (role, name, response.status_code)
            assert AuditEvent.objects.filter(action="access.denied", actor_id=user.pk).exists()


def test_anonymous_is_sent_to_sign_in(client, world):
    for name, (rule, post_only) in PAGES.items():
        if rule == PUBLIC or post_only:
            continue
        url = reverse(name, kwargs=url_kwargs_placeholder(name, world["ctx"]))
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"], name


@pytest.mark.parametrize("role", Role.ALL)
def test_each_role_against_every_api_endpoint(client, world, role):
    def api_path(template, ctx):
        for m in APP_MATRICES:
            if template in m.API:
                return m.api_path(template, ctx)
        return template

    client.force_login(world["users"][role])
    for template, rule in API.items():
        response = client.get(api_path(template, world["ctx"]))
        if expected_allowed({role}, rule):
            assert response.status_code == 200, (role, template, response.status_code)
        else:
            assert response.status_code == 403, (role, template)
    client.logout()
    for template in API:
        assert client.get(api_path(template, world["ctx"])).status_code == 401


def test_another_agencys_page_is_not_found_and_the_refusal_is_audited(client, make_user, org):
    practitioner = make_user(Role.PRACTITIONER, agency="youth")
    client.force_login(practitioner)
    assert client.get(reverse("accounts:agency", args=[org["youth"].pk])).status_code == 200
    response = client.get(reverse("accounts:agency", args=[org["police"].pk]))
    assert response.status_code == 404
    event = AuditEvent.objects.filter(action="access.denied", actor_id=practitioner.pk).last()
    assert event.object_type == "accounts.agency" and event.object_id == str(org["police"].pk)
    for name in ("accounts:agency_edit", "accounts:people"):
        kwargs = {"pk": org["police"].pk} if name == "accounts:agency_edit" else {}
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", actor_id=practitioner.pk).count() == 3


def test_partnership_admin_sees_every_agency(client, make_user, org):
    client.force_login(make_user(Role.PARTNERSHIP_ADMIN))
    for agency in (org["youth"], org["police"]):
        assert client.get(reverse("accounts:agency", args=[agency.pk])).status_code == 200
