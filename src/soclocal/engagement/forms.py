import time

from django import forms
from django.core import signing

from soclocal.core.forms import limit_upload
from soclocal.intelligence.models import Submission

MOST_PEOPLE = 100_000


class StoryForm(forms.Form):
    title = forms.CharField(label="A title for the story", max_length=200)
    text = forms.CharField(label="The story, as told", widget=forms.Textarea(attrs={"rows": 8}))
    audio = limit_upload(forms.FileField(label="Audio recording (optional)", required=False,
                                         help_text="MP3, M4A, OGG or WAV"), 50 << 20)
    tags = forms.CharField(label="Tags", required=False, max_length=300,
                           help_text="Separate tags with commas, for example: housing, youth work")
    consent_keep = forms.BooleanField(label="The teller agrees we keep the story", required=False)
    consent_share = forms.BooleanField(label="The teller agrees we share it anonymised with the "
                                             "partnership", required=False)
    consent_publish = forms.BooleanField(label="The teller agrees we publish it anonymised",
                                         required=False)

    AUDIO_TYPES = {"audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/ogg", "audio/wav",
                   "audio/x-wav", "audio/webm"}

    def clean_audio(self):
        audio = self.cleaned_data.get("audio")
        if audio and getattr(audio, "content_type", "") not in self.AUDIO_TYPES:
            raise forms.ValidationError("The recording must be an MP3, M4A, OGG or WAV file.")
        if audio and audio.size > 50 * 1024 * 1024:
            raise forms.ValidationError("The recording must be smaller than 50 MB.")
        return audio

    def clean_consent_keep(self):
        if not self.cleaned_data.get("consent_keep"):
            raise forms.ValidationError("A story can only be kept if the teller agrees.")
        return True


class ReviewForm(forms.Form):
    anonymised_text = forms.CharField(label="The story as it may be shared",
                                      widget=forms.Textarea(attrs={"rows": 10}),
                                      help_text="Take out or change names, places and schools.")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="How the teller withdrew consent", required=False,
                             max_length=300, help_text="For example: by phone, 3 March")


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of event", choices=[
        ("co_inquiry", "Co-inquiry session"), ("world_cafe", "World Café")])
    title = forms.CharField(label="Title", max_length=200)
    date = forms.DateField(label="Date (YYYY-MM-DD)")
    place = forms.CharField(label="Place", required=False, max_length=200)
    area = forms.ModelChoiceField(label="Area", required=False, queryset=None)
    facilitators = forms.CharField(label="Facilitators", required=False, max_length=300)
    questions = forms.CharField(label="Questions, one a line", required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    tables = forms.IntegerField(label="Tables", min_value=1, max_value=50, initial=1)
    rounds = forms.IntegerField(label="Rounds", min_value=1, max_value=10, initial=1)
    # Head counts of one event: a bound keeps a slip of the keyboard out of the reports.
    community_representatives = forms.IntegerField(label="Community representatives",
                                                   min_value=0, max_value=MOST_PEOPLE,
                                                   initial=0)
    agency_participants = forms.IntegerField(label="People from statutory or third-sector "
                                                   "agencies", min_value=0,
                                             max_value=MOST_PEOPLE, initial=0)
    justice_partners = forms.IntegerField(label="Community justice partners", min_value=0,
                                          max_value=MOST_PEOPLE, initial=0)
    frame = forms.ModelChoiceField(label="Coding frame", required=False, queryset=None)

    def __init__(self, *args, **kwargs):
        from soclocal.areas.models import Area

        from .models import CodingFrame

        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.exclude(type__startswith="lsoa")
        self.fields["frame"].queryset = CodingFrame.objects.all()


class HarvestForm(forms.Form):
    question = forms.ChoiceField(label="Question", required=False)
    table = forms.IntegerField(label="Table", required=False, min_value=1)
    round = forms.IntegerField(label="Round", required=False, min_value=1)
    text = forms.CharField(label="Insights, one a line", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [("", "No particular question")] + [
            (q, q) for q in event.question_list]


class FrameForm(forms.Form):
    name = forms.CharField(label="Name of the coding frame", max_length=200)
    labels = forms.CharField(label="Codes, one a line", widget=forms.Textarea(attrs={"rows": 6}))


class ThemeOutputForm(forms.Form):
    theme = forms.ChoiceField(label="Theme")
    resonance = forms.ChoiceField(label="How strongly it resonated", widget=forms.RadioSelect,
                                  choices=[(str(n), str(n)) for n in range(1, 6)])
    more_of = forms.CharField(label="More of", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    less_of = forms.CharField(label="Less of", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    do_differently = forms.CharField(label="Do differently", required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [(str(t.pk), t.label) for t in themes]


class GroupForm(forms.Form):
    name = forms.CharField(label="Name of the group", max_length=200)


class MemberForm(forms.Form):
    name = forms.CharField(label="Member's first name or a pseudonym", max_length=100)


class MeetingForm(forms.Form):
    date = forms.DateField(label="Meeting date (YYYY-MM-DD)")
    attended = forms.IntegerField(label="How many came", min_value=0, max_value=MOST_PEOPLE)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PriorityForm(forms.Form):
    title = forms.CharField(label="Proposed priority", max_length=200)


class ActionForm(forms.Form):
    description = forms.CharField(label="Action", max_length=300)
    priority = forms.ChoiceField(label="For which priority", required=False)

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
            self.fields[f"p{p.pk}"] = forms.IntegerField(label=f"Rank for {p.title}",
                                                         required=False, min_value=1)

    def ranking(self):
        given = [(self.cleaned_data.get(f"p{p.pk}"), p.pk) for p in self.priorities]
        given = sorted((r, pk) for r, pk in given if r)
        if len({r for r, _ in given}) != len(given):
            raise forms.ValidationError("Give each priority a different rank.")
        return [pk for _, pk in given]


DATE = forms.DateInput(attrs={"type": "date"})


class PeriodForm(forms.Form):
    """A period and an area to filter figures by; a bad date says which and why."""

    area = forms.ModelChoiceField(label="Area", required=False, queryset=None,
                                  empty_label="All areas")
    date_from = forms.DateField(label="From (YYYY-MM-DD)", required=False, widget=DATE,
                                error_messages={"invalid": "Enter the start date as YYYY-MM-DD"})
    date_to = forms.DateField(label="To (YYYY-MM-DD)", required=False, widget=DATE,
                              error_messages={"invalid": "Enter the end date as YYYY-MM-DD"})

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
    frame = forms.ChoiceField(label="Coding frame", required=False)

    def __init__(self, *args, frames=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frame"].choices = [(str(f.pk), f.name) for f in frames]
        self.fields["frame"].error_messages["invalid_choice"] = (
            "Choose a coding frame from the list")
        self.order_fields(["frame", "area", "date_from", "date_to"])


class FactsFilterForm(PeriodForm):
    year = forms.IntegerField(label="Year", required=False, min_value=2000, max_value=2100,
                              error_messages={"invalid": "Enter the year as four digits, for "
                                                         "example 2025",
                                              "min_value": "Enter a year from 2000 to 2100",
                                              "max_value": "Enter a year from 2000 to 2100"})

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

    name = forms.CharField(label="Your name", max_length=100,
                           help_text="A first name is enough",
                           error_messages={"required": "Enter your name"})
    contact = forms.CharField(label="Email address or phone number", max_length=254,
                              help_text="So the group's facilitator can get in touch with you",
                              error_messages={"required": "Enter an email address or a phone "
                                                          "number"})
    message = forms.CharField(label="Anything you would like the facilitator to know (optional)",
                              required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"max_length": "Keep the message to 1,000 "
                                                            "characters or fewer"})
    # Left empty by people, who never see it; filled in by programs that fill every box.
    website = forms.CharField(required=False, label="Leave this empty",
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
    answer = forms.ChoiceField(label="What happened", widget=forms.RadioSelect,
                               error_messages={"required": "Choose what happened"})
    note = forms.CharField(label="Note for the other facilitators (optional)", required=False,
                           max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from .models import JoinRequest

        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = JoinRequest.Answer.choices


class CommunityReportForm(forms.Form):
    """A resident telling the partnership what they know, on the public pages; no account."""

    what = forms.CharField(label="What is happening?", max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="In your own words. Small details help.")
    where = forms.CharField(label="Where is it happening?", max_length=300,
                            help_text="An address, street, estate, park or shop")
    when = forms.CharField(label="When does it happen?", max_length=200,
                           help_text="A date and time, or as closely as you can, such as "
                                     "'most evenings after school'")
    who = forms.CharField(label="Who is involved, if you know? (optional)", required=False,
                          max_length=3000, widget=forms.Textarea(attrs={"rows": 3}),
                          help_text="Names, nicknames, what they look like")
    identifying = forms.CharField(
        label="Anything that would help identify a vehicle or place (optional)",
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A number plate, make and colour of a car, a door number, a shop name")
    how_known = forms.ChoiceField(label="How do you know? (optional)", required=False,
                                  choices=[c for c in Submission.HowKnown.choices
                                           if c[0] != Submission.HowKnown.RECORDS],
                                  widget=forms.RadioSelect)
    urgency = forms.ChoiceField(label="How soon should someone look at this?",
                                choices=Submission.Urgency.choices, widget=forms.RadioSelect,
                                initial=Submission.Urgency.ROUTINE)
    child_at_risk = forms.BooleanField(label="A child or young person may be at risk",
                                       required=False)
    adult_at_risk = forms.BooleanField(label="An adult may be at risk", required=False)
    contact_name = forms.CharField(label="Your name (optional)", required=False, max_length=100)
    contact = forms.CharField(label="A phone number or email address for a call back "
                                    "(optional)", required=False, max_length=254)
    # Left empty by people, who never see it; filled in by programs that fill every box.
    website = JoinForm.base_fields["website"]
    # When the form was shown, signed, so a program that posts at once can be told apart.
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    MIN_SECONDS = 3
    SALT = "community-report"
    REQUIRED = {"what": "Say what is happening", "where": "Say where",
                "when": "Say when, as closely as you can",
                "urgency": "Choose how soon someone should look at this"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED.items():
            self.fields[name].error_messages["required"] = message
        for name in ("what", "where", "when", "who", "identifying", "contact_name"):
            most = self.fields[name].max_length
            self.fields[name].error_messages["max_length"] = \
                f"Keep this to {most:,} characters or fewer"
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
