from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from soclocal.accounts.models import User
from soclocal.areas.models import Area
from soclocal.core.access import CAPABILITIES

from . import scoring
from .models import Decision, Threat, ThreatLink

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ThreatForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of threat is it?"), choices=Threat.Kind.choices,
                             widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("For example: Drug supply in the Meadows"))
    area = forms.CharField(label=_("Area (code or name)"), max_length=200, required=False)
    police_only = forms.BooleanField(label=_("Police only: do not share beyond the police"),
                                     required=False)
    evidence_text = forms.CharField(label=_("Evidence"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 5}),
                                    help_text=_("What is known and where it comes from."))
    profile = forms.IntegerField(required=False, widget=forms.HiddenInput)
    crime_type = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_area(self):
        text = self.cleaned_data["area"].strip()
        if not text:
            return None
        found = list(Area.objects.filter(Q(code__iexact=text) | Q(name__iexact=text))[:2])
        if not found:
            raise forms.ValidationError(_('No area has the code or name “%(text)s”.') % {"text": text})
        return found[0]


class AssessmentForm(forms.Form):
    rationale = forms.CharField(label=_("Rationale"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("Why these scores: the evidence you weighed."))

    def __init__(self, *args, method, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose a score"))] + [(str(i), f"{i}: {label}")
                                              for i, label in enumerate(method["scale"])]
        for key in reversed(scoring.KEYS):
            self.fields = {key: forms.ChoiceField(
                label=scoring.factor_label(key), choices=choices,
                help_text=_('High: %(hint)s') % {"hint": scoring.factor_hint(key)}),
                **self.fields}


class MethodForm(forms.Form):
    levels = forms.CharField(label=_("Scale levels, lowest first, one a line"),
                            widget=forms.Textarea(attrs={"rows": 6}))
    formula = forms.ChoiceField(label=_("How the scores combine"), choices=scoring.FORMULAS,
                                widget=forms.RadioSelect)
    confidence_floor = forms.DecimalField(label=_("Confidence floor (0 to 1)"), min_value=0,
                                          max_value=1, decimal_places=2)
    position_uplift = forms.DecimalField(label=_("Organisational position uplift (0 to 5)"),
                                         min_value=0, max_value=5, decimal_places=2)
    band_high = forms.DecimalField(label=_("High priority from score"), min_value=0,
                                   max_value=100, decimal_places=1)
    band_medium = forms.DecimalField(label=_("Medium priority from score"), min_value=0,
                                     max_value=100, decimal_places=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in scoring.KEYS:
            label = scoring.factor_label(key)
            self.fields[f"weight_{key}"] = forms.DecimalField(label=_('Weight: %(label)s') % {"label": label}, min_value=0,
                                                  max_value=100, decimal_places=2)

    @staticmethod
    def initial_for(method):
        return {"levels": "\n".join(method["scale"]), "formula": method["formula"],
                "confidence_floor": method["confidence_floor"],
                "position_uplift": method["position_uplift"],
                "band_high": method["bands"]["high"], "band_medium": method["bands"]["medium"],
                **{f"weight_{k}": w for k, w in method["weights"].items()}}

    def settings(self):
        d = self.cleaned_data
        return {"scale": d["levels"].splitlines(), "formula": d["formula"],
                "confidence_floor": float(d["confidence_floor"]),
                "position_uplift": float(d["position_uplift"]),
                "bands": {"high": float(d["band_high"]), "medium": float(d["band_medium"])},
                "weights": {k: float(d[f"weight_{k}"]) for k in scoring.KEYS}}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices,
                                widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))
    referred_to = forms.CharField(label=_("Referred to"), max_length=200, required=False,
                                  help_text=_("For example, the regional organised crime unit"))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    review_date = forms.DateField(label=_("Review date"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The owner reviews the decision, so must be someone who can open the threat.
        roles = [r for r in CAPABILITIES["priorities.view"]]
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, role_grants__role__in=roles).distinct().order_by(
            "last_name", "first_name")
        self.fields["owner"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.agency})"


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to link"), choices=ThreatLink.Kind.choices,
                             widget=forms.RadioSelect)
    reference = forms.CharField(label=_("Reference or case number"), max_length=40,
                                help_text=_("An intelligence report's reference, such as IR-0012, "
                                          "or a case number"))
