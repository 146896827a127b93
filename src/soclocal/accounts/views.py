import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from soclocal.core import audit
from soclocal.core.access import get_scoped_or_404, requires
from soclocal.core.forms import add_service_errors
from soclocal.core.pagination import paginate

from . import selectors, services
from .forms import (
    AccountForm,
    AgencyForm,
    DeactivateForm,
    LoginForm,
    NewAccountForm,
    NewPasswordForm,
    TeamForm,
    TokenForm,
    TotpForm,
)
from .models import Agency, ApiToken, User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


# --- Your own account -------------------------------------------------------

@login_required
def account(request):
    return render(request, "accounts/account.html", {
        "devices": TOTPDevice.objects.filter(user=request.user, confirmed=True),
        "tokens": selectors.api_tokens(request.user),
    })


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_own_password(request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed."))
        return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


def set_password(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/set_password.html", {"invalid": True}, status=400)
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_own_password(user, form.cleaned_data["new_password1"])
        messages.success(request, _("Your password is set. You can now sign in."))
        return redirect("accounts:login")
    return render(request, "accounts/set_password.html", {"form": form, "person": user})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@login_required
def two_factor_setup(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app",
                                           confirmed=False)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            audit.record("account.two_factor_enabled", obj=request.user)
            messages.success(request, _("Two-factor sign-in is set up."))
            return redirect("core:home")
        form.add_error("code", "That code is not right. Check your app's clock and try again.")
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "secret": secret, "qr": mark_safe(_qr_svg(device.config_url)),
    })


@login_required
def two_factor_verify(request):
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["code"].strip()):
                otp_login(request, device)
                audit.record("auth.two_factor_verified", obj=request.user)
                return redirect(request.GET.get("next") or "core:home")
        audit.record("auth.two_factor_failed", obj=request.user)
        form.add_error("code", "That code is not right. Try the newest code in your app.")
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@requires("api.token")
def tokens(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.create_api_token(request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(request, "accounts/tokens.html", {
        "form": form, "tokens": selectors.api_tokens(request.user), "new_key": new_key,
    })


@requires("api.token")
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(request.user, token)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


# --- Agencies and teams -----------------------------------------------------

@requires("agency.view")
def agencies(request):
    return render(request, "accounts/agencies.html", {
        "agencies": selectors.visible_agencies(request.user).prefetch_related("teams"),
    })


@requires("partnership.manage")
def agency_new(request):
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.create_agency(request.user, name=form.cleaned_data["name"],
                                            kind=form.cleaned_data["kind"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": agency.name})
            return redirect("accounts:agency", pk=agency.pk)
    return render(request, "accounts/agency_form.html", {"form": form, "agency": None})


@requires("agency.view")
def agency_detail(request, pk):
    agency = get_scoped_or_404(request.user, "agency.view", Agency.objects.all(), pk=pk)
    return render(request, "accounts/agency.html", {
        "agency": agency, **selectors.agency_detail(request.user, agency),
        "team_form": TeamForm(),
    })


@requires("partnership.manage")
def agency_edit(request, pk):
    agency = get_scoped_or_404(request.user, "partnership.manage", Agency.objects.all(), pk=pk)
    form = AgencyForm(request.POST or None, initial={
        "name": agency.name, "kind": agency.kind, "active": agency.active})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agency(request.user, agency, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("%(name)s has been updated.") % {"name": agency.name})
            return redirect("accounts:agency", pk=agency.pk)
    return render(request, "accounts/agency_form.html", {"form": form, "agency": agency})


@requires("partnership.manage")
@require_POST
def team_new(request, pk):
    agency = get_scoped_or_404(request.user, "partnership.manage", Agency.objects.all(), pk=pk)
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            team = services.create_team(request.user, agency=agency, name=form.cleaned_data["name"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The team %(name)s has been added.") % {"name": team.name})
            return redirect("accounts:agency", pk=agency.pk)
    return render(request, "accounts/agency.html", {
        "agency": agency, **selectors.agency_detail(request.user, agency), "team_form": form,
    }, status=400)


# --- People -----------------------------------------------------------------

@requires("accounts.manage")
def people(request):
    query = request.GET.get("q", "").strip()
    people = paginate(request, selectors.accounts(request.user, query=query)
                      .order_by("last_name", "first_name", "pk"))
    return render(request, "accounts/people.html", {"people": people, "page": people, "q": query})


@requires("accounts.manage")
def person_new(request):
    form = NewAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = services.generate_initial_password() if data["method"] == "password" else None
        try:
            person, secret = services.create_account(
                request.user, username=data["username"], first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"], agency=data["agency"],
                team=data["team"], roles=data["roles"], job_title=data["job_title"],
                password=password)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            return render(request, "accounts/person_created.html", {
                "person": person, "password": password,
                "link": None if password else request.build_absolute_uri(secret),
            })
    return render(request, "accounts/person_new.html", {"form": form})


def _account_form(person, data=None):
    return AccountForm(data, agency=person.agency, initial={
        "first_name": person.first_name, "last_name": person.last_name, "email": person.email,
        "job_title": person.job_title, "team": person.team_id, "roles": person.roles,
    })


@requires("accounts.manage")
def person_detail(request, pk):
    person = get_scoped_or_404(request.user, "accounts.manage", User.objects.all(), pk=pk)
    form = _account_form(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_account(request.user, person, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("%(name)s's account has been updated.") % {"name": person.get_full_name()})
            return redirect("accounts:person", pk=person.pk)
    return _person_page(request, person, form)


def _person_page(request, person, form, deactivate_form=None):
    from axes.models import AccessAttempt

    locked = AccessAttempt.objects.filter(username=person.username).exists()
    return render(request, "accounts/person.html", {
        "person": person, "form": form, "deactivate_form": deactivate_form or DeactivateForm(),
        "locked": locked,
    })


@requires("accounts.manage")
@require_POST
def person_action(request, pk, action):
    person = get_scoped_or_404(request.user, "accounts.manage", User.objects.all(), pk=pk)
    if action == "deactivate":
        form = DeactivateForm(request.POST)
        if form.is_valid():
            try:
                services.deactivate_account(request.user, person,
                                            reason=form.cleaned_data["reason"])
            except ValidationError as e:
                add_service_errors(form, e)
        if form.errors:
            # Shown again beside the box, with the reason as typed.
            return _person_page(request, person, _account_form(person), form)
        messages.success(request, _("%(name)s's account is deactivated.") % {"name": person.get_full_name()})
    elif action == "reactivate":
        services.reactivate_account(request.user, person)
        messages.success(request, _("%(name)s's account is active again.") % {"name": person.get_full_name()})
    elif action == "unlock":
        services.unlock_account(request.user, person)
        messages.success(request, _("%(name)s can try signing in again.") % {"name": person.get_full_name()})
    elif action == "link":
        link = request.build_absolute_uri(services.issue_set_password_link(request.user, person))
        return render(request, "accounts/person_created.html", {
            "person": person, "password": None, "link": link, "reissued": True})
    return redirect("accounts:person", pk=person.pk)
