from django import forms
from django.utils.translation import gettext_lazy as _

from soclocal.accounts.models import Agency
from soclocal.areas.models import Area
from soclocal.core.forms import limit_upload

from .models import Agreement, Need, Service
from .selectors import DIRECTORY_AREA_TYPES
from .services import MAX_DOCUMENT_BYTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINES = forms.Textarea(attrs={"rows": 4})


class AgreementForm(forms.ModelForm):
    parties = forms.ModelMultipleChoiceField(
        Agency.objects.filter(active=True), widget=forms.CheckboxSelectMultiple,
        label=_("Parties"), help_text=_("Every agency that shares or receives under the agreement"))
    document = limit_upload(forms.FileField(
        label=_("The signed agreement (PDF or word-processor file, up to 10 MB)"), required=False),
        MAX_DOCUMENT_BYTES)

    class Meta:
        model = Agreement
        fields = ["title", "status", "parties", "purposes", "lawful_bases", "data_categories",
                  "retention_terms", "starts_on", "review_on", "signatories"]
        widgets = {"starts_on": DATE, "review_on": DATE, "purposes": LINES,
                   "lawful_bases": LINES, "data_categories": LINES, "retention_terms": LINES,
                   "signatories": LINES}
        labels = {"lawful_bases": _("Lawful bases"), "data_categories": _("Categories of data"),
                  "starts_on": _("In force from"), "review_on": _("Review date")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("purposes", "lawful_bases", "data_categories", "retention_terms", "review_on"):
            self.fields[name].required = False  # the service names what is missing

    def service_data(self):
        d = dict(self.cleaned_data)
        return {"parties": list(d.pop("parties") or []), "document": d.pop("document", None)
                or None, **d}


class ServiceForm(forms.ModelForm):
    needs = forms.MultipleChoiceField(choices=Need.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      label=_("Needs it meets"))
    areas = forms.ModelMultipleChoiceField(Area.objects.none(), required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 8}),
                                           label=_("Areas covered"))
    website = forms.URLField(required=False, assume_scheme="https", label=_("Website"))

    class Meta:
        model = Service
        fields = ["agency", "name", "description", "age_from", "age_to", "needs", "whole_area",
                  "areas", "how_to_refer", "contact_name", "contact_email", "contact_phone",
                  "website", "active"]
        widgets = {"description": LINES, "how_to_refer": LINES}
        labels = {"age_from": _("Youngest age"), "age_to": _("Oldest age"),
                  "whole_area": _("Covers the whole partnership area"),
                  "active": _("Taking referrals now")}

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
        self.fields["areas"].queryset = Area.objects.filter(
            type__in=DIRECTORY_AREA_TYPES).order_by("type", "name")
        self.fields["areas"].label_from_instance = lambda a: f"{a.name} ({a.type_label})"
        for name in ("description", "how_to_refer"):
            self.fields[name].required = False

    def service_data(self):
        d = dict(self.cleaned_data)
        return {"areas": list(d.pop("areas") or []), **d}


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100,
                        help_text=_("For example mentoring, boxing, or an agency's name"))
    area = forms.ModelChoiceField(Area.objects.none(), required=False, label=_("Area"),
                                  empty_label=_("Any area"))
    need = forms.ChoiceField(choices=[("", "Any need")] + Need.choices, required=False,
                             label=_("Need"))
    age = forms.IntegerField(label=_("Age of the young person"), required=False, min_value=0,
                             max_value=120, widget=forms.NumberInput(
                                 attrs={"class": "govuk-input--width-3"}))

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda a: a.name


class NetworkForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of link"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(k, k.capitalize()) for k in ("case share", "intelligence release",
                                               "plan action", "referral")],
        help_text=_("None ticked shows every kind"))

    def clean(self):
        d = super().clean()
        if d.get("date_from") and d.get("date_to") and d["date_from"] > d["date_to"]:
            self.add_error("date_to", _("The end of the period must be after its start"))
        return d
