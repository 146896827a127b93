from django import forms
from django.utils.translation import gettext_lazy as _

from soclocal.accounts.models import Agency, User
from soclocal.core.access import Role
from soclocal.core.forms import limit_upload
from soclocal.partnership.models import Agreement
from soclocal.partnership.selectors import agreements_in_force

from .models import Entity, Grading, IntelligenceReport, Link, Submission

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})


class SubmissionForm(forms.Form):
    what = forms.CharField(label="What did you see or hear?", widget=TEXT,
                           help_text="In your own words. Say what happened, not what you think "
                                     "it means.")
    where = forms.CharField(label="Where?", max_length=300,
                            help_text="An address, street, estate or place")
    when = forms.CharField(label="When?", max_length=200,
                           help_text="A date and time, or as closely as you can, such as "
                                     "'most evenings last week'")
    who = forms.CharField(label="Who and what is involved?", widget=TEXT, required=False,
                          help_text="People, descriptions, vehicles, phone numbers, "
                                    "online accounts")
    how_known = forms.ChoiceField(label="How do you know?", choices=Submission.HowKnown.choices,
                                  widget=forms.RadioSelect)
    urgency = forms.ChoiceField(label="How urgent is it?", choices=Submission.Urgency.choices,
                                widget=forms.RadioSelect, initial=Submission.Urgency.ROUTINE)
    child_at_risk = forms.BooleanField(label="A child may be at risk", required=False)
    adult_at_risk = forms.BooleanField(label="A vulnerable adult may be at risk", required=False)

    REQUIRED = {"what": "Say what you saw or heard", "where": "Say where",
                "when": "Say when, as closely as you can", "how_known": "Say how you know",
                "urgency": "Choose how urgent it is"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED.items():
            self.fields[name].error_messages["required"] = message


class ReportForm(forms.ModelForm):
    class Meta:
        model = IntelligenceReport
        fields = ["title", "text", "source_type", "source", "source_grade",
                  "intelligence_grade", "handling", "handling_conditions", "outcome",
                  "outcome_reasons", "review_on"]
        labels = {
            "title": "Title", "text": "The intelligence", "source_type": "Type of source",
            "source": "Source register entry", "source_grade": "Source evaluation",
            "intelligence_grade": "Intelligence assessment", "handling": "Handling code",
            "handling_conditions": "Conditions for sharing",
            "outcome": "Assessment", "outcome_reasons": "Reasons for the assessment",
            "review_on": "Review by",
        }
        help_texts = {
            "text": "Record it as received. Who the source is goes in the source register, "
                    "not here.",
            "source": "Only sources you handle are listed; other officers never see it.",
            "handling_conditions": "Required with handling code C; they travel with the "
                                   "report wherever it is shared.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 6}), "review_on": DATE,
                   "source_grade": forms.RadioSelect, "intelligence_grade": forms.RadioSelect,
                   "handling": forms.RadioSelect, "outcome": forms.RadioSelect,
                   "handling_conditions": TEXT, "outcome_reasons": TEXT}

    def __init__(self, *args, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["source"].required = False
        self.fields["outcome"].required = False
        self.fields["outcome"].choices = IntelligenceReport.Outcome.choices
        for name in ("source_grade", "intelligence_grade", "handling", "source_type"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        for name, message in {"title": "Give the report a short title",
                              "text": "Write the intelligence",
                              "source_type": "Choose the type of source",
                              "source_grade": "Grade the source 1, 2 or 3",
                              "intelligence_grade": "Grade the intelligence A, B, C, D or E",
                              "handling": "Choose handling code P or C"}.items():
            self.fields[name].error_messages["required"] = message

    def _post_clean(self):
        # The service checks the grading and the assessment; the model is built there.
        pass


class SanitiseForm(forms.Form):
    text = forms.CharField(label="Sanitised text", widget=forms.Textarea(attrs={"rows": 8}),
                           help_text="Remove whatever could identify the source: names, "
                                     "times, places and details only they would know.")


class ReleaseForm(forms.Form):
    agency = forms.ModelChoiceField(label="Release to", queryset=Agency.objects.none())
    purpose = forms.CharField(label="Purpose", max_length=200,
                              help_text="What the agency may use it for")
    agreement = forms.ModelChoiceField(
        label="Information-sharing agreement", queryset=Agreement.objects.none(),
        help_text="The agreement this release relies on: the force and the agency must both "
                  "be party to it", empty_label="Choose an agreement",
        error_messages={"required": "Choose the information-sharing agreement this release "
                                     "relies on"})

    def __init__(self, *args, owning_agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(active=True).exclude(
            pk=getattr(owning_agency, "pk", None))
        self.fields["agreement"].queryset = agreements_in_force(
            [owning_agency] if owning_agency is not None else [])


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=300)


class SourceForm(forms.Form):
    identity = forms.CharField(label="Who the source is", max_length=300)
    contact = forms.CharField(label="How to contact them", widget=TEXT, required=False)
    notes = forms.CharField(label="Notes", widget=TEXT, required=False)
    handlers = forms.ModelMultipleChoiceField(
        label="Other handlers", queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only the named handlers can open this entry. You are always one.")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handlers"].queryset = User.objects.filter(
            agency=user.agency, is_active=True,
            role_grants__role=Role.INTELLIGENCE_OFFICER).exclude(pk=user.pk)


class ReportFilterForm(forms.Form):
    q = forms.CharField(label="Reference or words in the title", max_length=200, required=False)
    outcome = forms.ChoiceField(label="Assessment", required=False, choices=[
        ("", "Any"), ("none", "Not assessed"), *IntelligenceReport.Outcome.choices])


class EntitySearchForm(forms.Form):
    q = forms.CharField(label="Search people, places and things", max_length=200,
                        required=False, help_text="A name, reference, address, postcode, "
                                                  "registration or number")


class EntityForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=Entity.Kind.choices)
    forenames = forms.CharField(label="Forenames", max_length=200, required=False)
    surname = forms.CharField(label="Surname", max_length=200, required=False)
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE)
    name = forms.CharField(label="Name, registration, number or handle", max_length=300,
                           required=False, help_text="For an organisation, business, vehicle, "
                                                     "phone or online account")
    organised_crime_group = forms.BooleanField(label="This organisation is an organised crime "
                                                     "group", required=False)
    address = forms.CharField(label="Address", widget=forms.Textarea(attrs={"rows": 2}),
                              required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    latitude = forms.FloatField(label="Latitude", required=False, min_value=-90, max_value=90,
                                help_text="With longitude, places an address in its "
                                          "neighbourhood (LSOA) and ward")
    longitude = forms.FloatField(label="Longitude", required=False, min_value=-180,
                                 max_value=180)
    phone = forms.CharField(label="Phone", max_length=50, required=False)
    description = forms.CharField(label="Description", max_length=300, required=False,
                                  help_text="Make, model and colour; platform; network")


class LinkForm(forms.Form):
    from_entity = forms.ModelChoiceField(label="From", queryset=Entity.objects.none())
    kind = forms.ChoiceField(label="Link", choices=Link.Kind.choices)
    to_entity = forms.ModelChoiceField(label="To", queryset=Entity.objects.none())
    start = forms.DateField(label="From date", required=False, widget=DATE)
    end = forms.DateField(label="To date", required=False, widget=DATE)

    def __init__(self, *args, entities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_entity"].queryset = entities
        self.fields["to_entity"].queryset = entities


GRADING_HELP = {"source": Grading.SOURCE, "intelligence": Grading.INTELLIGENCE,
                "handling": Grading.HANDLING}


# Bulk import, clerical review -----------------------------------------------------------------

# Each row is saved and audited on its own (about 7 ms a row), so a page import stays well
# within a request's time; larger files go through `soclocal intel import`.
MAX_IMPORT_BYTES = 1024 * 1024


class BulkUploadForm(forms.Form):
    kind = forms.ChoiceField(label="What does the file hold?", widget=forms.RadioSelect,
                             choices=[("people", "People"), ("links", "Links between records")],
                             error_messages={"required": "Choose people or links"})
    file = limit_upload(forms.FileField(
        label="The spreadsheet (CSV or Excel .xlsx)",
        error_messages={"required": "Choose the file to import"},
        help_text="The first row names the columns; you can match them to our fields on the "
                  "next step"), MAX_IMPORT_BYTES,
        "split it into parts, or ask your system administrator to import it for you")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a CSV or Excel .xlsx file"))
        return f


class ColumnMappingForm(forms.Form):
    """Which of the file's columns holds each of our fields: a select for each field."""

    LABELS = {"reference": "Reference", "forenames": "Forenames", "surname": "Surname",
              "date_of_birth": "Date of birth", "address": "Address", "postcode": "Postcode",
              "phone": "Phone", "source": "Source", "from_reference": "From (reference)",
              "to_reference": "To (reference)", "kind": "Kind of link", "start": "Start date",
              "end": "End date"}

    def __init__(self, *args, fields, required, header, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file")] + [(h, h) for h in header]
        for name in fields:
            self.fields[name] = forms.ChoiceField(
                label=self.LABELS[name], choices=choices, required=name in required,
                initial=name if name in header else "",
                error_messages={"required": f"Choose the column that holds the "
                                            f"{self.LABELS[name].lower()}"})

    def mapping(self) -> dict:
        return {name: column for name, column in self.cleaned_data.items() if column}


class PairReviewForm(forms.Form):
    decision = forms.ChoiceField(label="Are they the same person?", widget=forms.RadioSelect,
                                 choices=[("same", "Yes, the same person: merge them"),
                                          ("not_same", "No, not the same person"),
                                          ("unsure", "Unsure: leave it on the list")],
                                 error_messages={"required": "Say whether they are the same "
                                                             "person"})
    survivor = forms.ChoiceField(label="If they are the same, which record stays?",
                                 widget=forms.RadioSelect, required=False,
                                 help_text="The other is kept, marked as merged into it; its "
                                           "links and reports move across. You can undo it.")
    note = forms.CharField(label="Note", widget=TEXT, required=False)

    def __init__(self, *args, left, right, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [(str(e.pk), f"{e.reference}: {e.label}")
                                           for e in (left, right)]
        self.fields["survivor"].initial = str(left.pk)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "same" and not data.get("survivor"):
            self.add_error("survivor", "Choose which record stays")
        return data
