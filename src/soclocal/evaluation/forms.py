from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EvaluationRun


class RunForm(forms.Form):
    comparison = forms.ChoiceField(
        label=_("Comparison group"), choices=EvaluationRun.Comparison.choices,
        initial=EvaluationRun.Comparison.NOT_ENGAGED, widget=forms.RadioSelect,
        help_text=_("The young people whose change is compared with that of those who engaged."))
    window_months = forms.IntegerField(
        label=_("Months before and after referral"), min_value=1, max_value=60, initial=12,
        help_text=_("6 and 12 months are always shown as well."),
        error_messages={"min_value": _("Enter 1 to 60 months."), "max_value": _("Enter 1 to 60 months."),
                        "invalid": _("Enter a whole number of months, like 12.")})


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Are these the same person?"), widget=forms.RadioSelect,
        choices=[("confirm", _("Yes, the same person")), ("reject", _("No, different people"))],
        error_messages={"required": _("Choose whether these are the same person.")})
