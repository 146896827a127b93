from django import forms

from .models import EvaluationRun


class RunForm(forms.Form):
    comparison = forms.ChoiceField(
        label="Comparison group", choices=EvaluationRun.Comparison.choices,
        initial=EvaluationRun.Comparison.NOT_ENGAGED, widget=forms.RadioSelect,
        help_text="The young people whose change is compared with that of those who engaged.")
    window_months = forms.IntegerField(
        label="Months before and after referral", min_value=1, max_value=60, initial=12,
        help_text="6 and 12 months are always shown as well.",
        error_messages={"min_value": "Enter 1 to 60 months.", "max_value": "Enter 1 to 60 months.",
                        "invalid": "Enter a whole number of months, like 12."})


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Are these the same person?", widget=forms.RadioSelect,
        choices=[("confirm", "Yes, the same person"), ("reject", "No, different people")],
        error_messages={"required": "Choose whether these are the same person."})
