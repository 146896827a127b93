from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from soclocal.core.access import can_see_personal_data

# Pages a signed-in person can still reach before their account is safe to use.
ALWAYS_ALLOWED = ("accounts:logout", "accounts:password_change", "accounts:two_factor_setup",
                  "accounts:two_factor_verify", "accounts:set_password")


class AccountSafetyMiddleware:
    """Sends people to change a temporary password, and to two-factor where it is required."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated
                and not request.path.startswith((settings.STATIC_URL, "/api/"))):
            allowed = {reverse(name) for name in ALWAYS_ALLOWED if name != "accounts:set_password"}
            if request.path not in allowed:
                if user.must_change_password:
                    return redirect("accounts:password_change")
                if settings.SOCLOCAL_REQUIRE_2FA and can_see_personal_data(user):
                    if not user.is_verified():
                        has_device = user.totpdevice_set.filter(confirmed=True).exists()
                        return redirect("accounts:two_factor_verify" if has_device
                                        else "accounts:two_factor_setup")
        return self.get_response(request)
