from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from soclocal.core.access import Role

from .models import Agency, Team


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive for the password.",
        "inactive": "This account has been deactivated. Ask your partnership admin.",
    }


class NewPasswordForm(SetPasswordForm):
    pass


class AgencyForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Agency name"))
    kind = forms.ChoiceField(choices=Agency.Kind.choices, label=_("Kind of agency"))
    active = forms.BooleanField(required=False, initial=True, label=_("Active"))


class TeamForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Team name"))


class AccountForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    job_title = forms.CharField(max_length=200, required=False)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False,
                                  empty_label="No team")
    roles = forms.MultipleChoiceField(choices=Role.CHOICES, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(active=True)
        self.fields["team"].queryset = teams.filter(agency=agency) if agency else teams


class NewAccountForm(AccountForm):
    username = forms.RegexField(regex=r"^[a-zA-Z0-9_.-]{3,150}$", max_length=150,
                                help_text=_("Letters, numbers, dots, dashes and underscores."),
                                error_messages={"invalid": _("Use letters, numbers, dots, dashes "
                                                "or underscores (3 or more).")})
    agency = forms.ModelChoiceField(queryset=Agency.objects.filter(active=True))
    method = forms.ChoiceField(
        choices=[("link", "Send a one-time link to set a password"),
                 ("password", "Set an initial password that must be changed at first sign-in")],
        widget=forms.RadioSelect, initial="link", label=_("How will they sign in first?"))

    field_order = ["username", "first_name", "last_name", "email", "job_title", "agency",
                   "team", "roles", "method"]

    def clean(self):
        data = super().clean()
        team, agency = data.get("team"), data.get("agency")
        if team and agency and team.agency_id != agency.pk:
            self.add_error("team", "Choose a team of the chosen agency.")
        return data


class DeactivateForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=500,
                             error_messages={"required": _("Say why the account is being "
                                                           "deactivated.")})


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, label=_("What will use this token?"))


class TotpForm(forms.Form):
    code = forms.RegexField(regex=r"^\s*\d{6}\s*$", label=_("Code from your authenticator app"),
                            error_messages={"invalid": _("Enter the 6-digit code.")})
