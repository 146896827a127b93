from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from soclocal.accounts.models import Agency
from soclocal.core.forms import limit_upload

from .index import LEVELS
from .models import (
    COUNTY_LINES_INDICATORS,
    Indicator,
    MaceAction,
    MaceHearing,
    MapLink,
    MapNode,
    NrmReferral,
    Place,
    VulnerableAdult,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

PURPOSES = [
    ("safeguarding", "Safeguarding the person referred"),
    ("decision", "Chasing or recording a decision"),
    ("multi_agency", "Multi-agency meeting"),
    ("data_quality", "Checking the record"),
]


class IndicatorForm(forms.ModelForm):
    owner_agency = forms.ModelChoiceField(Agency.objects.all(), required=False,
                                          label=_("Owner agency"))

    class Meta:
        model = Indicator
        fields = ["code", "name", "kind", "owner_agency", "source", "detail", "counts",
                  "suppression_threshold", "weight"]
        widgets = {"counts": forms.Textarea(attrs={"rows": 3})}


class UploadForm(forms.Form):
    file = limit_upload(forms.FileField(
        label=_("Indicator file (CSV)"),
        help_text=_("Columns: area_code, period, indicator, count, and optionally denominator.")),
        20 << 20, "split it into parts by period")


class IndexForm(forms.Form):
    level = forms.ChoiceField(choices=list(LEVELS.items()), required=False, label=_("Areas"))
    period = forms.ChoiceField(choices=[], required=False, label=_("Period"))

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p, p) for p in reversed(periods)]


class ReferralForm(forms.ModelForm):
    class Meta:
        model = NrmReferral
        fields = ["reference", "case_reference", "jurisdiction", "exploitation_type", "age_band",
                  "referral_date", "support_offered"]
        widgets = {"referral_date": DATE, "support_offered": forms.Textarea(attrs={"rows": 3})}
        labels = {"case_reference": _("Case reference (if there is a case)")}

    area_code = forms.CharField(label=_("Where the person lives (LSOA code)"), required=False,
                                max_length=20)


class DecisionForm(forms.ModelForm):
    class Meta:
        model = NrmReferral
        fields = ["reasonable_grounds", "reasonable_grounds_date", "conclusive_grounds",
                  "conclusive_grounds_date", "support_offered"]
        widgets = {"reasonable_grounds_date": DATE, "conclusive_grounds_date": DATE,
                   "support_offered": forms.Textarea(attrs={"rows": 3})}


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Why are you looking at this referral?"), choices=PURPOSES,
                                initial="safeguarding")


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name or address"), max_length=200)
    kind = forms.ChoiceField(label=_("What kind of place"), choices=Place.Kind.choices)
    area_code = forms.CharField(label=_("LSOA code (if known)"), required=False, max_length=20,
                                help_text=_("For example E01033406"))
    description = forms.CharField(label=_("Why it is a concern"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class SightingForm(forms.Form):
    indicator = forms.ChoiceField(label=_("What was seen"), choices=[])
    seen_on = forms.DateField(label=_("When"), widget=DATE)
    case = forms.TypedChoiceField(label=_("Whose case (if any)"), required=False, coerce=int,
                                  empty_value=None, choices=[])
    note = forms.CharField(label=_("Note"), required=False,
                           help_text=_("Everyone who sees the place sees this: do not name "
                                     "anyone here, choose their case instead."),
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, indicators=(), cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "Choose an indicator")] + list(indicators)
        self.fields["case"].choices = [("", "No case")] + list(cases)


class LinkForm(forms.Form):
    case = forms.TypedChoiceField(label=_("A case"), required=False, coerce=int, empty_value=None,
                                  choices=[])
    report = forms.CharField(label=_("Or an intelligence report reference"), required=False,
                             max_length=20)

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "No case")] + list(cases)


class AdultForm(forms.Form):
    first_name = forms.CharField(max_length=100, label=_("First name"))
    last_name = forms.CharField(max_length=100, label=_("Last name"))
    date_of_birth = forms.DateField(required=False, label=_("Date of birth (if known)"),
                                    widget=DATE)
    home = forms.TypedChoiceField(label=_("Their home (a place of concern that is an address)"),
                                  required=False, coerce=int, empty_value=None, choices=[])
    vulnerabilities = forms.CharField(label=_("What makes them vulnerable"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    risk = forms.ChoiceField(choices=VulnerableAdult.Risk.choices, label=_("Risk of cuckooing"))

    def __init__(self, *args, homes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home"].choices = [("", "Not recorded")] + list(homes)


class InvolvementForm(forms.Form):
    agency = forms.ModelChoiceField(Agency.objects.all(), label=_("Agency"))
    role = forms.CharField(label=_("What they do"), max_length=200)
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)


class AcrossCasesForm(forms.Form):
    whose = forms.ChoiceField(label=_("Cases"), choices=[("team", _("My team's cases")),
                                                      ("mine", _("My cases"))], required=False)


# Peer-group maps and MACE panels ---------------------------------------------------------------

MACE_PURPOSES = [
    ("panel", "Preparing for or taking part in the MACE panel"),
    ("case_work", "Keeping the child safe (my case work)"),
    ("action", "Carrying out an agreed action"),
    ("data_quality", "Checking the record"),
]


class MacePurposeForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Why are you looking at this record?"),
                                choices=MACE_PURPOSES, initial="panel")


def _people():
    from soclocal.accounts.models import User

    return User.objects.filter(is_active=True).select_related("agency").order_by(
        "last_name", "first_name")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} ({obj.agency.name})"


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} ({obj.agency.name})"


class MaceReferralForm(forms.Form):
    indicators = forms.MultipleChoiceField(
        label=_("County-lines indicators you have seen"), required=False,
        choices=COUNTY_LINES_INDICATORS, widget=forms.CheckboxSelectMultiple)
    concerns = forms.CharField(label=_("What worries you about the child's safety"),
                               widget=forms.Textarea(attrs={"rows": 4}), required=False)
    strengths = forms.CharField(label=_("What is going well for the child"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in COUNTY_LINES_INDICATORS:
            self.fields[f"evidence_{code}"] = forms.CharField(
                label=format_lazy(_("What was seen: {label}"), label=label.lower()), required=False,
                widget=forms.Textarea(attrs={"rows": 2}))

    def evidence_fields(self):
        return [self[f"evidence_{code}"] for code, _label in COUNTY_LINES_INDICATORS]

    def evidence(self):
        return {code: self.cleaned_data.get(f"evidence_{code}", "")
                for code, _label in COUNTY_LINES_INDICATORS}


class PanelForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the panel"), widget=DATE)
    location = forms.CharField(required=False)
    police_chair = PersonChoice(_people(), label=_("Police co-chair"))
    local_authority_chair = PersonChoice(_people(), label=_("Local-authority co-chair"))
    members = PeopleChoice(_people(), label=_("Panel members"), required=False,
                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("police_chair", "local_authority_chair", "members"):
            self.fields[name].queryset = _people()


class ListChildForm(forms.Form):
    referral = forms.ChoiceField(label=_("Child to hear"))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].choices = [("", "Choose a referral or a review")] + list(choices)


class HearingForm(forms.Form):
    presentation = forms.CharField(label=_("The child's situation, as presented"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    risk_tier = forms.ChoiceField(label=_("Risk tier agreed"), required=False,
                                  choices=MaceHearing.Tier.choices, widget=forms.RadioSelect)
    minutes = forms.CharField(label=_("Minutes for this child"), required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))
    outcome = forms.ChoiceField(label=_("What happens next"), required=False,
                                choices=MaceHearing.Outcome.choices[1:], widget=forms.RadioSelect)
    outcome_notes = forms.CharField(label=_("What the panel decided"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    review_due = forms.DateField(label=_("Review by (leave empty for the usual time)"),
                                 required=False, widget=DATE)


class MaceActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("The action's aim"), choices=MaceAction.Kind.choices,
                             widget=forms.RadioSelect, required=False)
    description = forms.CharField(label=_("What will be done"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    owning_agency = forms.ModelChoiceField(Agency.objects.filter(active=True),
                                           label=_("Agency that will do it"), required=False)
    due_on = forms.DateField(label=_("Due by"), widget=DATE, required=False)


class RaiseForm(forms.Form):
    as_ = forms.ChoiceField(label=_("Raise it as"), widget=forms.RadioSelect, choices=[
        ("requirement", _("An intelligence requirement (the force asks the agency)")),
        ("plan_action", _("An action on a response plan"))])
    plan = forms.ChoiceField(label=_("Response plan (for a plan action)"), required=False)
    strand = forms.CharField(label=_("Strand (for a plan action, e.g. disrupt or pursue)"),
                             required=False)

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [("", "Choose a plan")] + [(p.pk, str(p)) for p in plans]


class MaceSettingsForm(forms.Form):
    review_weeks = forms.IntegerField(label=_("Weeks from a panel to a child's review"),
                                      min_value=1, max_value=52)


class PeerMapForm(forms.Form):
    title = forms.CharField(label=_("Name of the map (not a child's name)"), max_length=200,
                            required=False)
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    members = PeopleChoice(_people(), label=_("Who else works on this map"), required=False,
                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = _people()


class MapNodeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Who or what"), choices=MapNode.Kind.choices, required=False)
    label = forms.CharField(label=_("Name, initials or description"), max_length=200,
                            required=False)
    case = forms.IntegerField(label=_("Case number (for a child with an early intervention case)"),
                              required=False, min_value=1)
    risk = forms.ChoiceField(label=_("Assessed risk"), choices=MapNode.Risk.choices, required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MapLinkForm(forms.Form):
    source = forms.ChoiceField(label=_("From"))
    kind = forms.ChoiceField(label=_("Link"), choices=MapLink.Kind.choices)
    target = forms.ChoiceField(label=_("To"))
    reliability = forms.ChoiceField(label=_("How reliable the source is"),
                                    choices=MapLink.Reliability.choices, widget=forms.RadioSelect,
                                    required=False)
    source_of_information = forms.CharField(label=_("Who told us"), required=False)
    risks = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    strengths = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.CharField(label=_("Action this link leads to"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    no_action_reason = forms.CharField(label=_("Or: why there is no action"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, nodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose")] + [(n.pk, f"{n.label} ({n.get_kind_display().lower()})")
                                      for n in nodes]
        self.fields["source"].choices = choices
        self.fields["target"].choices = choices
