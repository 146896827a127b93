import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from soclocal.accounts.models import Agency, User
from soclocal.core.access import Role
from soclocal.core.forms import limit_upload
from soclocal.partnership.models import Agreement
from soclocal.partnership.selectors import agreements_in_force

from . import services, star
from .models import Closure, Contact, OutreachAttempt, PlanAction, Referral, YoungPerson

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})

# The English purpose goes into the audit trail; the form shows it translated.
PURPOSES = [
    ("direct_work", gettext_noop("Direct work with the young person")),
    ("supervision", gettext_noop("Supervision or case review")),
    ("safeguarding", gettext_noop("Safeguarding concern")),
    ("multi_agency", gettext_noop("Multi-agency meeting")),
    ("data_quality", gettext_noop("Checking the record")),
]


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Why are you looking at this case?"), choices=[(k, _(label)) for k, label in PURPOSES],
                                initial="direct_work")


class SearchForm(forms.Form):
    name = forms.CharField(label=_("Young person's name"), max_length=200)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)


class ReferralForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    gender = forms.ChoiceField(label=_("Gender"), choices=YoungPerson.Gender.choices,
                               initial=YoungPerson.Gender.NOT_KNOWN, required=False)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=100, required=False)
    home_area = forms.CharField(label=_("Home area (LSOA or data zone code)"), max_length=20,
                                required=False, help_text=_("For example E01013810"))
    school = forms.CharField(label=_("School"), max_length=200, required=False)
    police_id = forms.CharField(label=_("Police reference"), max_length=50, required=False)
    social_care_id = forms.CharField(label=_("Social care reference"), max_length=50,
                                     required=False)
    education_id = forms.CharField(label=_("Education reference (UPN)"), max_length=50,
                                   required=False)
    caregiver_name = forms.CharField(label=_("Caregiver's name"), max_length=200, required=False)
    caregiver_relationship = forms.CharField(label=_("Caregiver's relationship to the young "
                                             "person"), max_length=100, required=False)
    caregiver_phone = forms.CharField(label=_("Caregiver's phone"), max_length=50, required=False)

    source = forms.ChoiceField(label=_("Who is referring"), choices=Referral.Source.choices,
                               widget=forms.RadioSelect)
    referrer_name = forms.CharField(label=_("Referrer's name and organisation"), max_length=200)
    referrer_contact = forms.CharField(label=_("Referrer's phone or email"), max_length=200,
                                       required=False)
    reasons = forms.MultipleChoiceField(label=_("Reasons for the referral"),
                                        choices=Referral.Reason.choices,
                                        widget=forms.CheckboxSelectMultiple)
    indicators = forms.MultipleChoiceField(label=_("County-lines indicators seen"),
                                           choices=Referral.Indicator.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    concerns = forms.CharField(label=_("What is happening"), widget=TEXT, required=False,
                               help_text=_("Describe what is happening to the young person, "
                                         "not what they are choosing"))
    risks = forms.CharField(label=_("Risks"), widget=TEXT, required=False)
    young_person_consents_to_service = forms.BooleanField(
        label=_("The young person agrees to work with the service"), required=False)
    young_person_consents_to_sharing = forms.BooleanField(
        label=_("The young person agrees to information being shared with partners"),
        required=False)
    caregiver_consents_to_service = forms.BooleanField(
        label=_("A caregiver agrees to the young person working with the service"), required=False)
    caregiver_consents_to_sharing = forms.BooleanField(
        label=_("A caregiver agrees to information being shared with partners"), required=False)
    lawful_basis = forms.ChoiceField(label=_("Lawful basis for the referral and for sharing"),
                                     choices=Referral.LawfulBasis.choices,
                                     initial=Referral.LawfulBasis.CONSENT,
                                     widget=forms.RadioSelect)
    lawful_basis_reason = forms.CharField(label=_("Why consent is not the basis"), widget=TEXT,
                                          required=False)
    age_override_reason = forms.CharField(
        label=_("Reason to accept a young person outside 11 to 18 (managers only)"), widget=TEXT,
        required=False)

    def __init__(self, *args, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = existing
        if existing is not None:
            for name in ("first_name", "last_name", "date_of_birth", "gender", "ethnicity",
                         "home_area", "school", "police_id", "social_care_id", "education_id",
                         "caregiver_name", "caregiver_relationship", "caregiver_phone"):
                del self.fields[name]
        else:
            for name in ("first_name", "last_name", "date_of_birth"):
                self.fields[name].required = True

    def clean(self):
        data = super().clean()
        if self.existing is None:
            for name in ("first_name", "last_name", "date_of_birth"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Enter the young person's %(field)s") % {"field": name.replace('_', ' ')})
        return data


class TriageForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Referral.Decision.choices,
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reasons"), widget=TEXT, required=False,
                             help_text=_("Needed when signposting or declining"))
    signposted_to = forms.CharField(label=_("Signposted to"), max_length=200, required=False)


class AllocationForm(forms.Form):
    practitioner = forms.ModelChoiceField(label=_("Practitioner"), queryset=User.objects.none())
    peer_mentor = forms.ModelChoiceField(label=_("Peer mentor"), queryset=User.objects.none(),
                                         required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False,
                             help_text=_("Needed when reassigning"))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).select_related("agency")
        practitioners = people.filter(role_grants__role__in=[Role.PRACTITIONER, Role.MANAGER])
        if case is not None:  # the owning agency's and those it shares the case with
            practitioners = practitioners.filter(
                Q(agency__in=services.agencies_working_on(case)) | Q(pk=case.practitioner_id))
        self.fields["practitioner"].queryset = practitioners.distinct()
        self.fields["peer_mentor"].queryset = people.filter(
            role_grants__role=Role.PEER_MENTOR).distinct()
        for name in ("practitioner", "peer_mentor"):
            self.fields[name].label_from_instance = (
                lambda u: f"{u.get_full_name() or u.username}, {u.agency or 'no agency'}")


class OutreachForm(forms.Form):
    attempted_on = forms.DateField(label=_("Date"), widget=DATE)
    method = forms.ChoiceField(label=_("How"), choices=OutreachAttempt.Method.choices,
                               widget=forms.RadioSelect)
    engaged = forms.BooleanField(label=_("The young person engaged"), required=False)
    notes = forms.CharField(label=_("Notes"), widget=TEXT, required=False)


class ContactForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=DATE)
    duration_minutes = forms.IntegerField(label=_("Duration in minutes"), min_value=1,
                                          max_value=24 * 60)
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=Contact.Kind.choices,
                             widget=forms.RadioSelect)
    out_of_hours = forms.BooleanField(label=_("Out of hours"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    people_present = forms.CharField(label=_("People present"), max_length=300, required=False)
    notes = forms.CharField(label=_("Notes"), widget=TEXT, required=False)
    goals = forms.MultipleChoiceField(label=_("Plan goals this contact served"), required=False,
                                      widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].choices = [(g.pk, g.description) for g in goals]
        if not goals:
            del self.fields["goals"]


class ReadingForm(forms.Form):
    taken_on = forms.DateField(label=_("Date of the reading"), widget=DATE,
                               help_text=_("The day it was done with the young person, even if "
                                         "you are entering it later"))

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        scale = [("", "Choose a score")] + [
            (str(n), f"{n} ({instrument.stage_of(n)})")
            for n in range(instrument.scale_min, instrument.scale_max + 1)]
        self.areas = list(instrument.areas.all())
        for area in self.areas:
            self.fields[f"area_{area.pk}"] = forms.ChoiceField(label=area.name, choices=scale)
            self.fields[f"other_{area.pk}"] = forms.ChoiceField(
                label=_('%(name)s: the other view, if you disagree') % {"name": area.name}, choices=scale,
                required=False)
        self.fields["action_plan"] = forms.CharField(label=_("Action plan from this reading"),
                                                     widget=TEXT, required=False)

    def area_rows(self):
        def hint(area):
            # The manager's own words for each stage, where written, to help agree a score.
            return "; ".join(f"{st['name']}: {area.stage_descriptors[st['name']]}"
                             for st in self.instrument.stages
                             if area.stage_descriptors.get(st["name"]))

        return [(a, self[f"area_{a.pk}"], self[f"other_{a.pk}"], hint(a)) for a in self.areas]


ACTION_ROWS = 3
MAX_ACTION_ROWS = 30
ACTION_FIELDS = ("goal", "for", "kind", "description", "owner", "due_on")


class PlanForm(forms.Form):
    """Goals by star area, then actions, each linked to one of the goals.

    The number of action rows travels in the hidden `action_rows` field, so "Add another
    action" works without JavaScript: the page comes back with one more row and what was typed.
    """

    action_rows = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, areas=(), rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        if rows is None:
            rows = self._rows_from(self.data if self.is_bound else self.initial)
        self.rows = max(1, min(MAX_ACTION_ROWS, rows))
        self.initial["action_rows"] = self.rows
        if self.is_bound:
            # The hidden count must match the rows shown, whatever was posted.
            self.data = self.data.copy()
            self.data["action_rows"] = str(self.rows)
        for area in self.areas:
            self.fields[f"goal_{area.pk}"] = forms.CharField(
                label=_('Goal for %(name)s') % {"name": area.name}, max_length=300, required=False)
        goals = [("", "Not linked to a goal")] + [(str(a.pk), f"Goal for {a.name}")
                                                   for a in self.areas]
        kinds = [("", "Choose")] + PlanAction.Kind.choices
        for i in range(self.rows):
            self.fields[f"action_{i}_goal"] = forms.ChoiceField(
                label=_('Action %(number)s: goal it serves') % {"number": i + 1}, choices=goals, required=False)
            self.fields[f"action_{i}_for"] = forms.ChoiceField(
                label=_('Action %(number)s: for') % {"number": i + 1}, choices=PlanAction.For.choices, required=False)
            self.fields[f"action_{i}_kind"] = forms.ChoiceField(
                label=_('Action %(number)s: kind of support') % {"number": i + 1}, choices=kinds, required=False)
            self.fields[f"action_{i}_description"] = forms.CharField(
                label=_('Action %(number)s: what will happen') % {"number": i + 1}, max_length=300, required=False)
            self.fields[f"action_{i}_owner"] = forms.CharField(
                label=_('Action %(number)s: owner') % {"number": i + 1}, max_length=200, required=False)
            self.fields[f"action_{i}_due_on"] = forms.DateField(
                label=_('Action %(number)s: due') % {"number": i + 1}, required=False, widget=DATE)

    @staticmethod
    def _rows_from(values):
        try:
            return int(values.get("action_rows") or ACTION_ROWS)
        except (TypeError, ValueError):
            return ACTION_ROWS

    def goal_fields(self):
        return [self[f"goal_{a.pk}"] for a in self.areas]

    def action_fieldsets(self):
        return [[self[f"action_{i}_{f}"] for f in ACTION_FIELDS] for i in range(self.rows)]

    def clean(self):
        data = super().clean()
        names = {str(a.pk): a.name for a in self.areas}
        for i in range(self.rows):
            goal = data.get(f"action_{i}_goal")
            if goal and data.get(f"action_{i}_description") and not (
                    data.get(f"goal_{goal}") or "").strip():
                self.add_error(f"action_{i}_goal", _('Action %(number)s serves the goal for '
                                                     '%(area)s: write that goal, or choose '
                                                     'another') % {"number": i + 1,
                                                                   "area": names.get(goal, 'that area')})
        return data

    def goals(self):
        return [(a, self.cleaned_data.get(f"goal_{a.pk}", "")) for a in self.areas]

    def actions(self):
        # save_plan makes goals in area order, skipping empty ones: index them the same way.
        goal_index = {}
        for a in self.areas:
            if (self.cleaned_data.get(f"goal_{a.pk}") or "").strip():
                goal_index[str(a.pk)] = len(goal_index)
        out = []
        for i in range(self.rows):
            description = self.cleaned_data.get(f"action_{i}_description")
            if not description:
                continue
            out.append({"row": i, "for_whom": self.cleaned_data.get(f"action_{i}_for")
                        or PlanAction.For.YOUNG_PERSON,
                        "kind": self.cleaned_data.get(f"action_{i}_kind"),
                        "description": description,
                        "owner": self.cleaned_data.get(f"action_{i}_owner", ""),
                        "due_on": self.cleaned_data.get(f"action_{i}_due_on"),
                        "goal_index": goal_index.get(self.cleaned_data.get(f"action_{i}_goal"))})
        return out


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Date of the review"), widget=DATE)
    notes = forms.CharField(label=_("What the review found"), widget=TEXT)


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=Closure.Reason.choices,
                               widget=forms.RadioSelect)
    summary = forms.CharField(label=_("Summary"), widget=TEXT)


class ShareForm(forms.Form):
    MODES = [("refer", "Refer: the agency can see and work on the case; we keep it"),
             ("transfer", "Transfer: the agency takes the case over when it accepts")]
    mode = forms.ChoiceField(label=_("Refer or transfer"), choices=MODES, widget=forms.RadioSelect,
                             initial="refer")
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    purpose = forms.CharField(label=_("Purpose"), max_length=200,
                              help_text=_("Why the agency needs to see the case"))
    agreement = forms.ModelChoiceField(
        label=_("Information-sharing agreement"), queryset=Agreement.objects.none(),
        help_text=_("The agreement this share relies on: both agencies must be party to it"),
        empty_label=_("Choose an agreement"),
        error_messages={"required": _("Choose the information-sharing agreement this share "
                                     "relies on")})
    override_reason = forms.CharField(
        label=_("Reason to share without recorded consent (managers only)"), widget=TEXT,
        required=False, max_length=services.OVERRIDE_REASON_MAX)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Agency.objects.filter(active=True)
        if case is not None:
            qs = qs.exclude(pk=case.owning_agency_id)
        self.fields["agency"].queryset = qs
        self.fields["agreement"].queryset = agreements_in_force(
            [case.owning_agency] if case is not None else [])

    def clean(self):
        data = super().clean()
        # A transfer's share records "Transfer: " before the purpose, in the same column.
        most = services.TRANSFER_REASON_MAX
        if data.get("mode") == "transfer" and len(data.get("purpose") or "") > most:
            self.add_error("purpose", _("Keep the reason for a transfer to %(most)s characters "
                                        "or fewer") % {"most": most})
        return data


class ReasonForm(forms.Form):
    """Why the sharing of a case ends."""

    reason = forms.CharField(label=_("Reason"), widget=TEXT,
                             max_length=services.REVOKE_REASON_MAX)


class TransferAnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), widget=forms.RadioSelect,
                               choices=[("accept", _("Accept the case")),
                                        ("reject", _("Reject the transfer"))])
    reason = forms.CharField(label=_("Reason"), widget=TEXT, required=False,
                             max_length=services.REJECTION_REASON_MAX)


class ReportForm(forms.Form):
    VERSIONS = [("full", "Full figures (for this screen only)"),
                ("sharing", "Sharing version (small numbers hidden)")]
    area = forms.CharField(label=_("Area code"), max_length=20, required=False,
                           help_text=_("An LSOA, ward, local authority or force area code"))
    date_from = forms.DateField(label=_("Referrals from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Referrals to"), required=False, widget=DATE)
    version = forms.ChoiceField(label=_("Version"), choices=VERSIONS, required=False,
                                widget=forms.RadioSelect)
    split = forms.ChoiceField(label=_("Split by period"), required=False,
                              choices=[("", _("Do not split")), ("month", _("By month")),
                                       ("quarter", _("By quarter")), ("year", _("By year"))])
    area_level = forms.ChoiceField(
        label=_("Split by the young person's home area"), required=False,
        choices=[("", _("Do not split")), ("ward", _("By ward")),
                 ("lad", _("By local authority"))])

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must be the same as or after the start date"))
        return data


class InstrumentForm(forms.Form):
    """A star's name, scale, stages (rows of name and score range) and areas (rows of
    labels). Blank rows are left out, so a star can have fewer stages or areas than rows."""

    name = forms.CharField(label=_("Name"), max_length=100)
    scale_min = forms.IntegerField(label=_("Lowest score"), min_value=0, max_value=star.MAX_SCALE,
                                   initial=1)
    scale_max = forms.IntegerField(label=_("Highest score"), min_value=1,
                                   max_value=star.MAX_SCALE, initial=10)
    reassess_every_days = forms.IntegerField(
        label=_("Reassess every (days)"), min_value=7, max_value=365, initial=90,
        help_text=_("How long after a reading the next one is due"))

    def __init__(self, *args, instrument=None, **kwargs):
        if instrument is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instrument)
        super().__init__(*args, **kwargs)
        for i in range(star.MAX_STAGES):
            n = i + 1
            self.fields[f"stage_{i}_name"] = forms.CharField(
                label=_('Stage %(n)s: name') % {"n": n}, max_length=60, required=False)
            self.fields[f"stage_{i}_from"] = forms.IntegerField(
                label=_('Stage %(n)s: lowest score') % {"n": n}, required=False, min_value=0,
                max_value=star.MAX_SCALE)
            self.fields[f"stage_{i}_to"] = forms.IntegerField(
                label=_('Stage %(n)s: highest score') % {"n": n}, required=False, min_value=0,
                max_value=star.MAX_SCALE)
        for i in range(star.MAX_AREAS):
            self.fields[f"area_{i}"] = forms.CharField(label=_('Area %(number)s') % {"number": i + 1}, max_length=100,
                                                       required=False)

    @staticmethod
    def initial_from(instrument):
        values = {"name": instrument.name, "scale_min": instrument.scale_min,
                  "scale_max": instrument.scale_max,
                  "reassess_every_days": instrument.reassess_every_days}
        for i, st in enumerate(instrument.stages):
            values.update({f"stage_{i}_name": st["name"], f"stage_{i}_from": st["from"],
                           f"stage_{i}_to": st["to"]})
        for i, area in enumerate(instrument.areas.all()):
            values[f"area_{i}"] = area.name
        return values

    def basic_fields(self):
        return [self[n] for n in ("name", "scale_min", "scale_max", "reassess_every_days")]

    def stage_rows(self):
        return [(i + 1, [self[f"stage_{i}_{f}"] for f in ("name", "from", "to")])
                for i in range(star.MAX_STAGES)]

    def area_fields(self):
        return [self[f"area_{i}"] for i in range(star.MAX_AREAS)]

    def clean(self):
        data = super().clean()
        for i in range(star.MAX_STAGES):
            name = (data.get(f"stage_{i}_name") or "").strip()
            low, high = data.get(f"stage_{i}_from"), data.get(f"stage_{i}_to")
            if not (name or low is not None or high is not None):
                continue
            if not name and f"stage_{i}_name" not in self.errors:
                self.add_error(f"stage_{i}_name", _('Enter a name for stage %(number)s') % {"number": i + 1})
            for part, value, word in (("from", low, "lowest"), ("to", high, "highest")):
                if value is None and f"stage_{i}_{part}" not in self.errors:
                    self.add_error(f"stage_{i}_{part}",
                                   _('Enter the %(word)s score of stage %(number)s') % {"word": word,
                                                                                        "number": i + 1})
        return data

    def _filled(self, prefix, count, suffix=""):
        """The rows of the form that were filled in, in order: blank rows are left out."""
        return [i for i in range(count)
                if (self.cleaned_data.get(f"{prefix}_{i}{suffix}") or "").strip()]

    def on_rows(self, error):
        """A service's refusal, keyed by a stage's or area's place among those given, keyed
        instead to its row on this form (they differ when a row is left blank)."""
        if not hasattr(error, "error_dict"):
            return error
        rows = {"stage": self._filled("stage", star.MAX_STAGES, "_name"),
                "area": self._filled("area", star.MAX_AREAS)}
        keyed = {}
        for key, messages in error.message_dict.items():
            match = re.fullmatch(r"(stage|area)_(\d+)(_\w+)?", key or "")
            if match:
                n, filled = int(match[2]), rows[match[1]]
                key = f"{match[1]}_{filled[n] if n < len(filled) else n}{match[3] or ''}"
            keyed.setdefault(key, []).extend(messages)
        return ValidationError(keyed)

    def stages(self):
        d = self.cleaned_data
        return [{"name": d[f"stage_{i}_name"].strip(), "from": d[f"stage_{i}_from"],
                 "to": d[f"stage_{i}_to"]} for i in range(star.MAX_STAGES)
                if (d.get(f"stage_{i}_name") or "").strip()]

    def areas(self):
        return [d.strip() for i in range(star.MAX_AREAS)
                if (d := self.cleaned_data.get(f"area_{i}") or "").strip()]

    def values(self):
        d = self.cleaned_data
        return {"name": d["name"], "scale_min": d["scale_min"], "scale_max": d["scale_max"],
                "reassess_every_days": d["reassess_every_days"], "stages": self.stages(),
                "areas": self.areas()}


class StageDescriptorForm(forms.Form):
    """Optional text of our own for each stage of each area."""

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.stage_names = [st["name"] for st in instrument.stages]
        self.areas = list(instrument.areas.all())
        for area in self.areas:
            for j, stage in enumerate(self.stage_names):
                self.fields[f"d_{area.pk}_{j}"] = forms.CharField(
                    label=_('%(name)s: %(stage)s') % {"name": area.name, "stage": stage},
                    max_length=services.STAGE_DESCRIPTOR_MAX, required=False,
                    initial=area.stage_descriptors.get(stage, ""))

    def groups(self):
        return [(area, [self[f"d_{area.pk}_{j}"] for j in range(len(self.stage_names))])
                for area in self.areas]

    def descriptors(self):
        return {area.pk: {stage: self.cleaned_data.get(f"d_{area.pk}_{j}", "")
                          for j, stage in enumerate(self.stage_names)} for area in self.areas}


MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class DescriptorUploadForm(forms.Form):
    file = limit_upload(forms.FileField(label=_("Licensed descriptors file (CSV)"),
                                        help_text=_("Columns area, score and descriptor: one "
                                                  "row for each point of each area")),
                        MAX_UPLOAD_BYTES, "check it is the descriptors file")



class MergeSearchForm(forms.Form):
    name = forms.CharField(label=_("Young person's name"), max_length=200, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if not (data.get("name") or "").strip() and not data.get("date_of_birth") \
                and "date_of_birth" not in self.errors:
            self.add_error("name", _("Enter a name or a date of birth to search for"))
        return data


class MergeChoiceForm(forms.Form):
    keep = forms.ChoiceField(label=_("Which record should stay?"), widget=forms.RadioSelect,
                             error_messages={"required": _("Choose which record stays")},
                             help_text=_("The other record's cases, referrals and family move "
                                       "to it, and details it lacks are filled in"))
    reason = forms.CharField(label=_("Why these are the same person"), widget=TEXT,
                             error_messages={"required": _("Say why these records are the same "
                                                         "young person")})

    def __init__(self, *args, first, second, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (str(p.pk), f"Keep {p} (record {p.pk}, born {p.date_of_birth:%-d %B %Y})")
            for p in (first, second)]
