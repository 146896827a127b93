from django import forms

from soclocal.accounts.models import Agency
from soclocal.core.forms import limit_upload

from .index import LEVELS
from .models import Indicator, NrmReferral

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

PURPOSES = [
    ("safeguarding", "Safeguarding the person referred"),
    ("decision", "Chasing or recording a decision"),
    ("multi_agency", "Multi-agency meeting"),
    ("data_quality", "Checking the record"),
]


class IndicatorForm(forms.ModelForm):
    owner_agency = forms.ModelChoiceField(Agency.objects.all(), required=False,
                                          label="Owner agency")

    class Meta:
        model = Indicator
        fields = ["code", "name", "kind", "owner_agency", "source", "counts",
                  "suppression_threshold", "weight"]
        widgets = {"counts": forms.Textarea(attrs={"rows": 3})}


class UploadForm(forms.Form):
    file = limit_upload(forms.FileField(
        label="Indicator file (CSV)",
        help_text="Columns: area_code, period, indicator, count, and optionally denominator."),
        20 << 20, "split it into parts by period")


class IndexForm(forms.Form):
    level = forms.ChoiceField(choices=list(LEVELS.items()), required=False, label="Areas")
    period = forms.ChoiceField(choices=[], required=False, label="Period")

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p, p) for p in reversed(periods)]


class ReferralForm(forms.ModelForm):
    class Meta:
        model = NrmReferral
        fields = ["reference", "case_reference", "jurisdiction", "exploitation_type", "age_band",
                  "referral_date", "support_offered"]
        widgets = {"referral_date": DATE, "support_offered": forms.Textarea(attrs={"rows": 3})}
        labels = {"case_reference": "Case reference (if there is a case)"}

    area_code = forms.CharField(label="Where the person lives (LSOA code)", required=False,
                                max_length=20)


class DecisionForm(forms.ModelForm):
    class Meta:
        model = NrmReferral
        fields = ["reasonable_grounds", "reasonable_grounds_date", "conclusive_grounds",
                  "conclusive_grounds_date", "support_offered"]
        widgets = {"reasonable_grounds_date": DATE, "conclusive_grounds_date": DATE,
                   "support_offered": forms.Textarea(attrs={"rows": 3})}


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(label="Why are you looking at this referral?", choices=PURPOSES,
                                initial="safeguarding")
