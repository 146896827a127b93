from django import forms

from soclocal.accounts.models import Agency

from .index import LEVELS
from .models import Indicator, NrmReferral, Place, VulnerableAdult

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
        fields = ["code", "name", "kind", "owner_agency", "source", "detail", "counts",
                  "suppression_threshold", "weight"]
        widgets = {"counts": forms.Textarea(attrs={"rows": 3})}


class UploadForm(forms.Form):
    file = forms.FileField(label="Indicator file (CSV)",
                           help_text="Columns: area_code, period, indicator, count, and "
                                     "optionally denominator.")


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


class PlaceForm(forms.Form):
    name = forms.CharField(label="Name or address", max_length=200)
    kind = forms.ChoiceField(label="What kind of place", choices=Place.Kind.choices)
    area_code = forms.CharField(label="LSOA code (if known)", required=False, max_length=20,
                                help_text="For example E01033406")
    description = forms.CharField(label="Why it is a concern", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class SightingForm(forms.Form):
    indicator = forms.ChoiceField(label="What was seen", choices=[])
    seen_on = forms.DateField(label="When", widget=DATE)
    case = forms.TypedChoiceField(label="Whose case (if any)", required=False, coerce=int,
                                  empty_value=None, choices=[])
    note = forms.CharField(label="Note", required=False,
                           help_text="Everyone who sees the place sees this: do not name "
                                     "anyone here, choose their case instead.",
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, indicators=(), cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "Choose an indicator")] + list(indicators)
        self.fields["case"].choices = [("", "No case")] + list(cases)


class LinkForm(forms.Form):
    case = forms.TypedChoiceField(label="A case", required=False, coerce=int, empty_value=None,
                                  choices=[])
    report = forms.CharField(label="Or an intelligence report reference", required=False,
                             max_length=20)

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "No case")] + list(cases)


class AdultForm(forms.Form):
    first_name = forms.CharField(max_length=100, label="First name")
    last_name = forms.CharField(max_length=100, label="Last name")
    date_of_birth = forms.DateField(required=False, label="Date of birth (if known)",
                                    widget=DATE)
    home = forms.TypedChoiceField(label="Their home (a place of concern that is an address)",
                                  required=False, coerce=int, empty_value=None, choices=[])
    vulnerabilities = forms.CharField(label="What makes them vulnerable", required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    risk = forms.ChoiceField(choices=VulnerableAdult.Risk.choices, label="Risk of cuckooing")

    def __init__(self, *args, homes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home"].choices = [("", "Not recorded")] + list(homes)


class InvolvementForm(forms.Form):
    agency = forms.ModelChoiceField(Agency.objects.all(), label="Agency")
    role = forms.CharField(label="What they do", max_length=200)
    contact = forms.CharField(label="Contact", max_length=200, required=False)


class AcrossCasesForm(forms.Form):
    whose = forms.ChoiceField(label="Cases", choices=[("team", "My team's cases"),
                                                      ("mine", "My cases")], required=False)
