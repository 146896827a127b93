import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from soclocal.core.forms import limit_upload
from soclocal.intelligence.models import Submission

MOST_PEOPLE = 100_000


class StoryForm(forms.Form):
    title = forms.CharField(label=_("A title for the story"), max_length=200)
    text = forms.CharField(label=_("The story, as told"), widget=forms.Textarea(attrs={"rows": 8}))
    audio = limit_upload(forms.FileField(label=_("Audio recording (optional)"), required=False,
                                         help_text=_("MP3, M4A, OGG or WAV")), 50 << 20)
    tags = forms.CharField(label=_("Tags"), required=False, max_length=300,
                           help_text=_("Separate tags with commas, for example: housing, youth work"))
    consent_keep = forms.BooleanField(label=_("The teller agrees we keep the story"), required=False)
    consent_share = forms.BooleanField(label=_("The teller agrees we share it anonymised with the "
                                             "partnership"), required=False)
    consent_publish = forms.BooleanField(label=_("The teller agrees we publish it anonymised"),
                                         required=False)

    AUDIO_TYPES = {"audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/ogg", "audio/wav",
                   "audio/x-wav", "audio/webm"}

    def clean_audio(self):
        audio = self.cleaned_data.get("audio")
        if audio and getattr(audio, "content_type", "") not in self.AUDIO_TYPES:
            raise forms.ValidationError(_("The recording must be an MP3, M4A, OGG or WAV file."))
        if audio and audio.size > 50 * 1024 * 1024:
            raise forms.ValidationError(_("The recording must be smaller than 50 MB."))
        return audio

    def clean_consent_keep(self):
        if not self.cleaned_data.get("consent_keep"):
            raise forms.ValidationError(_("A story can only be kept if the teller agrees."))
        return True


class ReviewForm(forms.Form):
    anonymised_text = forms.CharField(label=_("The story as it may be shared"),
                                      widget=forms.Textarea(attrs={"rows": 10}),
                                      help_text=_("Take out or change names, places and schools."))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("How the teller withdrew consent"), required=False,
                             max_length=300, help_text=_("For example: by phone, 3 March"))


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), choices=[
        ("co_inquiry", "Co-inquiry session"), ("world_cafe", "World Café")])
    title = forms.CharField(label=_("Title"), max_length=200)
    title_cy = forms.CharField(label=_("Title in Welsh"), required=False, max_length=200,
                               help_text=_("For residents reading the public pages in Welsh"))
    description = forms.CharField(label=_("What residents are told about it"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    description_cy = forms.CharField(label=_("What residents are told about it, in Welsh"),
                                     required=False, widget=forms.Textarea(attrs={"rows": 2}))
    date = forms.DateField(label=_("Date (YYYY-MM-DD)"))
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    area = forms.ModelChoiceField(label=_("Area"), required=False, queryset=None)
    facilitators = forms.CharField(label=_("Facilitators"), required=False, max_length=300)
    questions = forms.CharField(label=_("Questions, one a line"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    tables = forms.IntegerField(label=_("Tables"), min_value=1, max_value=50, initial=1)
    rounds = forms.IntegerField(label=_("Rounds"), min_value=1, max_value=10, initial=1)
    # Head counts of one event: a bound keeps a slip of the keyboard out of the reports.
    community_representatives = forms.IntegerField(label=_("Community representatives"),
                                                   min_value=0, max_value=MOST_PEOPLE,
                                                   initial=0)
    agency_participants = forms.IntegerField(label=_("People from statutory or third-sector "
                                                   "agencies"), min_value=0,
                                             max_value=MOST_PEOPLE, initial=0)
    justice_partners = forms.IntegerField(label=_("Community justice partners"), min_value=0,
                                          max_value=MOST_PEOPLE, initial=0)
    frame = forms.ModelChoiceField(label=_("Coding frame"), required=False, queryset=None)

    def __init__(self, *args, **kwargs):
        from soclocal.areas.models import Area

        from .models import CodingFrame

        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.exclude(type__startswith="lsoa")
        self.fields["frame"].queryset = CodingFrame.objects.all()


class HarvestForm(forms.Form):
    question = forms.ChoiceField(label=_("Question"), required=False)
    table = forms.IntegerField(label=_("Table"), required=False, min_value=1)
    round = forms.IntegerField(label=_("Round"), required=False, min_value=1)
    text = forms.CharField(label=_("Insights, one a line"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [("", "No particular question")] + [
            (q, q) for q in event.question_list]


class FrameForm(forms.Form):
    name = forms.CharField(label=_("Name of the coding frame"), max_length=200)
    labels = forms.CharField(label=_("Codes, one a line"), widget=forms.Textarea(attrs={"rows": 6}))


class ThemeOutputForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"))
    resonance = forms.ChoiceField(label=_("How strongly it resonated"), widget=forms.RadioSelect,
                                  choices=[(str(n), str(n)) for n in range(1, 6)])
    more_of = forms.CharField(label=_("More of"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    less_of = forms.CharField(label=_("Less of"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    do_differently = forms.CharField(label=_("Do differently"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [(str(t.pk), t.label) for t in themes]


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=200)
    name_cy = forms.CharField(label=_("Name of the group in Welsh"), required=False,
                              max_length=200,
                              help_text=_("For residents reading the public pages in Welsh"))
    description = forms.CharField(label=_("What the group does, for residents"),
                                  required=False, widget=forms.Textarea(attrs={"rows": 2}))
    description_cy = forms.CharField(label=_("What the group does, in Welsh"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Member's first name or a pseudonym"), max_length=100)


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Meeting date (YYYY-MM-DD)"))
    attended = forms.IntegerField(label=_("How many came"), min_value=0, max_value=MOST_PEOPLE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PriorityForm(forms.Form):
    title = forms.CharField(label=_("Proposed priority"), max_length=200)


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    priority = forms.ChoiceField(label=_("For which priority"), required=False)

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = [("", "None")] + [
            (str(p.pk), p.title) for p in group.priorities.all()]


class RankingForm(forms.Form):
    """One member's ranking: a number for each priority they rank, 1 for the first."""

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.priorities = list(group.priorities.all())
        for p in self.priorities:
            self.fields[f"p{p.pk}"] = forms.IntegerField(label=_("Rank for %(priority)s") % {"priority": p.title},
                                                         required=False, min_value=1)

    def ranking(self):
        given = [(self.cleaned_data.get(f"p{p.pk}"), p.pk) for p in self.priorities]
        given = sorted((r, pk) for r, pk in given if r)
        if len({r for r, _ in given}) != len(given):
            raise forms.ValidationError(_("Give each priority a different rank."))
        return [pk for _, pk in given]


DATE = forms.DateInput(attrs={"type": "date"})


class PeriodForm(forms.Form):
    """A period and an area to filter figures by; a bad date says which and why."""

    area = forms.ModelChoiceField(label=_("Area"), required=False, queryset=None,
                                  empty_label="All areas")
    date_from = forms.DateField(label=_("From (YYYY-MM-DD)"), required=False, widget=DATE,
                                error_messages={"invalid": _("Enter the start date as YYYY-MM-DD")})
    date_to = forms.DateField(label=_("To (YYYY-MM-DD)"), required=False, widget=DATE,
                              error_messages={"invalid": _("Enter the end date as YYYY-MM-DD")})

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].error_messages["invalid_choice"] = (
            "Choose an area from the list")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data


class ReportFilterForm(PeriodForm):
    frame = forms.ChoiceField(label=_("Coding frame"), required=False)

    def __init__(self, *args, frames=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frame"].choices = [(str(f.pk), f.name) for f in frames]
        self.fields["frame"].error_messages["invalid_choice"] = (
            "Choose a coding frame from the list")
        self.order_fields(["frame", "area", "date_from", "date_to"])


class FactsFilterForm(PeriodForm):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100,
                              error_messages={"invalid": _("Enter the year as four digits, for "
                                                         "example 2025"),
                                              "min_value": _("Enter a year from 2000 to 2100"),
                                              "max_value": _("Enter a year from 2000 to 2100")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["area", "year", "date_from", "date_to"])

    def clean(self):
        data = super().clean()
        if data.get("year") and (data.get("date_from") or data.get("date_to")):
            self.add_error("year", "Give a year or a date range, not both")
        return data


class JoinForm(forms.Form):
    """A resident asking to join a community group, on the public pages."""

    name = forms.CharField(label=_("Your name"), max_length=100,
                           help_text=_("A first name is enough"),
                           error_messages={"required": _("Enter your name")})
    contact = forms.CharField(label=_("Email address or phone number"), max_length=254,
                              help_text=_("So the group's facilitator can get in touch with you"),
                              error_messages={"required": _("Enter an email address or a phone "
                                                            "number")})
    message = forms.CharField(label=_("Anything you would like the facilitator to know"),
                              required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"max_length": _("Keep the message to 1,000 "
                                                              "characters or fewer")})
    # Left empty by people, who never see it; filled in by programs that fill every box.
    website = forms.CharField(required=False, label=_("Leave this empty"),
                              widget=forms.TextInput(attrs={"tabindex": "-1",
                                                            "autocomplete": "off"}))

    def clean_contact(self):
        from .services import normalise_contact

        try:
            return normalise_contact(self.cleaned_data["contact"])
        except forms.ValidationError as e:  # said beside the box, with the other mistakes
            raise forms.ValidationError(e.messages[0]) from None

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class JoinAnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("What happened"), widget=forms.RadioSelect,
                               error_messages={"required": _("Choose what happened")})
    note = forms.CharField(label=_("Note for the other facilitators (optional)"), required=False,
                           max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from .models import JoinRequest

        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = JoinRequest.Answer.choices


class CommunityReportForm(forms.Form):
    """A resident telling the partnership what they know, on the public pages; no account."""

    what = forms.CharField(label=_("What is happening?"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("In your own words. Small details help."))
    where = forms.CharField(label=_("Where is it happening?"), max_length=300,
                            help_text=_("An address, street, estate, park or shop"))
    when = forms.CharField(label=_("When does it happen?"), max_length=200,
                           help_text=_("A date and time, or as closely as you can, such as "
                                       "'most evenings after school'"))
    who = forms.CharField(label=_("Who is involved, if you know?"), required=False,
                          max_length=3000, widget=forms.Textarea(attrs={"rows": 3}),
                          help_text=_("Names, nicknames, what they look like"))
    identifying = forms.CharField(
        label=_("Anything that would help identify a vehicle or place"),
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A number plate, make and colour of a car, a door number, a shop name"))
    how_known = forms.ChoiceField(label=_("How do you know? (optional)"), required=False,
                                  choices=[c for c in Submission.HowKnown.choices
                                           if c[0] != Submission.HowKnown.RECORDS],
                                  widget=forms.RadioSelect)
    urgency = forms.ChoiceField(label=_("How soon should someone look at this?"),
                                choices=Submission.Urgency.choices, widget=forms.RadioSelect,
                                initial=Submission.Urgency.ROUTINE)
    child_at_risk = forms.BooleanField(label=_("A child or young person may be at risk"),
                                       required=False)
    adult_at_risk = forms.BooleanField(label=_("An adult may be at risk"), required=False)
    contact_name = forms.CharField(label=_("Your name"), required=False, max_length=100)
    contact = forms.CharField(label=_("A phone number or email address for a call back"),
                              required=False, max_length=254)
    # Left empty by people, who never see it; filled in by programs that fill every box.
    website = JoinForm.base_fields["website"]
    # When the form was shown, signed, so a program that posts at once can be told apart.
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    MIN_SECONDS = 3
    SALT = "community-report"
    REQUIRED = {"what": _("Say what is happening"), "where": _("Say where"),
                "when": _("Say when, as closely as you can"),
                "urgency": _("Choose how soon someone should look at this")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED.items():
            self.fields[name].error_messages["required"] = message
        for name in ("what", "where", "when", "who", "identifying", "contact_name"):
            most = self.fields[name].max_length
            self.fields[name].error_messages["max_length"] = \
                _("Keep this to %(most)s characters or fewer") % {"most": f"{most:,}"}
        # A re-shown form keeps the time it was first shown.
        self.initial["started"] = (self.data.get("started") if self.is_bound else None) \
            or signing.dumps(time.time(), salt=self.SALT)

    def clean_contact(self):
        return JoinForm.clean_contact(self) if self.cleaned_data["contact"].strip() else ""

    def is_spam(self) -> bool:
        """The hidden box filled in, or the form sent sooner than a person could write it."""
        if self.cleaned_data.get("website"):
            return True
        try:
            shown = float(signing.loads(self.cleaned_data.get("started") or "", salt=self.SALT))
        except (signing.BadSignature, TypeError, ValueError):
            return True
        return time.time() - shown < self.MIN_SECONDS
