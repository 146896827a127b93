from django import forms
from django.utils.translation import gettext_lazy as _

from soclocal.core.forms import limit_upload
from soclocal.core.language import localised

from .models import RULES, BallotKind, Process, VotingEvent
from .services import GROUP_KINDS, MOST_PLANNERS
from .sms import normalise_mobile


class ProcessForm(forms.ModelForm):
    class Meta:
        model = Process
        fields = ["name", "name_cy", "description", "description_cy", "budget", "currency", "themes", "area",
                  "eligible_group_kinds", "max_bid", "bids_open", "bids_close", "voting_open",
                  "voting_close", "ballot_kind", "min_choices", "max_choices", "max_points",
                  "rule", "category_limits", "residents_who_planned", "planning_notes",
                  "status"]
        labels = {"name_cy": _("Name in Welsh"), "description_cy": _("Description in Welsh"),
                  "budget": _("Budget"), "max_bid": _("Most a bid can ask for"),
                  "eligible_group_kinds": _("Kinds of group that may bid"),
                  "min_choices": _("Fewest bids a voter must choose"),
                  "max_choices": _("Most bids a voter may choose"),
                  "max_points": _("Points each voter spreads (cumulative ballots)"),
                  "rule": _("How votes become funded projects"),
                  "bids_open": _("Bids open (YYYY-MM-DD)"), "bids_close": _("Bids close (YYYY-MM-DD)"),
                  "voting_open": _("Voting opens (YYYY-MM-DD)"),
                  "voting_close": _("Voting closes (YYYY-MM-DD)"), "area": _("Eligible area"),
                  "residents_who_planned": _("Residents who planned the process"),
                  "planning_notes": _("What the residents' planning group did")}
        help_texts = {"name_cy": _("For residents reading the public pages in Welsh; leave "
                                   "blank and they see the English")}
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "description_cy": forms.Textarea(attrs={"rows": 3}),
                   "themes": forms.Textarea(attrs={"rows": 3}),
                   "eligible_group_kinds": forms.Textarea(attrs={"rows": 3}),
                   "planning_notes": forms.Textarea(attrs={"rows": 2})}

    category_limits = forms.CharField(
        label=_("Spending limits per theme"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line, a theme then = and the most to spend on it, for example: "
                  "Housing = 5000. Leave blank for no limits."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = list(RULES.items())
        limits = self.instance.category_limits if self.instance.pk else {}
        self.initial["category_limits"] = "\n".join(f"{k} = {v}" for k, v in limits.items())
        self.fields["area"].queryset = self.fields["area"].queryset.exclude(type__startswith="lsoa")
        # Blank means nobody has been recorded yet, stored as 0.
        self.fields["residents_who_planned"].required = False
        self.fields["residents_who_planned"].error_messages["min_value"] = (
            "Residents who planned the process must be 0 or more.")

    def clean_residents_who_planned(self):
        count = self.cleaned_data["residents_who_planned"] or 0
        # Without a limit here the database's own (which differs between databases) speaks.
        if count > MOST_PLANNERS:
            raise forms.ValidationError(
                _("Residents who planned the process must be %(most)s or fewer.")
                % {"most": f"{MOST_PLANNERS:,}"})
        return count

    def clean_category_limits(self):
        limits = {}
        for number, line in enumerate(self.cleaned_data["category_limits"].splitlines(), 1):
            if not line.strip():
                continue
            theme, _equals, amount = line.rpartition("=")
            try:
                value = int(amount.strip().replace(",", ""))
            except ValueError:
                value = -1
            if not theme.strip() or value < 0:
                raise forms.ValidationError(
                    _("Line %(number)s should be a theme, =, and a whole amount, for example "
                      "Housing = 5000.") % {"number": number})
            limits[theme.strip()] = value
        return limits


class ImportForm(forms.Form):
    file = limit_upload(forms.FileField(label=_("A pabulib .pb file")), 50 << 20)
    name = forms.CharField(label=_("Name for the process"), required=False, max_length=200,
                           help_text=_("Leave blank to use the file's description"))


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("accept", _("Put it on the ballot")),
                                          ("ineligible", _("It is not eligible under the "
                                                           "process's rules")),
                                          ("reject", _("Do not accept it for another reason"))],
                                 error_messages={"required": _("Choose a decision.")})
    reason = forms.CharField(label=_("Reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Needed when a bid is not accepted; the bidder is sent "
                                       "it, so write it for them"))
    community_group = forms.ChoiceField(
        label=_("Which of the partnership's community groups made the bid?"), required=False,
        help_text=_("The bidder typed their group's name. Leave it unmatched if it is not one "
                  "of the partnership's groups."),
        error_messages={"invalid_choice": _("Choose a community group from the list, or "
                                          "\"Not matched to a group\".")})

    title_cy = forms.CharField(label=_("Title in Welsh"), required=False, max_length=200,
                               help_text=_("For residents reading the ballot in Welsh; leave "
                                           "blank and they see the bidder's own words"))
    summary_cy = forms.CharField(label=_("What it will do, in Welsh"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(g.pk): g for g in groups}
        self.fields["community_group"].choices = [("", "Not matched to a group")] + [
            (pk, g.name) for pk, g in self.groups.items()]

    def clean_community_group(self):
        return self.groups.get(self.cleaned_data["community_group"])


class EventForm(forms.Form):
    name = forms.CharField(label=_("Name of the voting event"), max_length=200)
    kind = forms.ChoiceField(label=_("How people vote"), choices=VotingEvent.Kind.choices)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    date = forms.DateField(label=_("Date (YYYY-MM-DD)"), required=False)


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("How many voter codes"), min_value=1, max_value=5000)
    event = forms.ChoiceField(label=_("For which event"), required=False)

    def __init__(self, *args, process=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", "Any event")] + [
            (str(e.pk), e.name) for e in process.events.all()]


class OverrideForm(forms.Form):
    bid = forms.ChoiceField(label=_("Bid"))
    funded = forms.ChoiceField(label=_("Change"), widget=forms.RadioSelect,
                               choices=[("yes", _("Fund it")), ("no", _("Do not fund it"))])
    reason = forms.CharField(label=_("Reason (shown on the public results page)"),
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, bids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bid"].choices = [(str(b.pk), f"{b.reference}: {b.title}") for b in bids]


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("What has happened"), widget=forms.Textarea(attrs={"rows": 3}))
    spend = forms.DecimalField(label=_("Spent so far"), min_value=0, decimal_places=2)
    outputs = forms.CharField(label=_("Outputs"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("For example: 40 young people took part"))
    photo = limit_upload(forms.ImageField(label=_("Photo"), required=False), 10 << 20,
                         "choose a smaller photo")
    photo_description = forms.CharField(label=_("Describe the photo"), required=False,
                                        max_length=200)


class ContactForm(forms.Form):
    """How a bidder shows we can reach them: an email address or a UK mobile number."""

    channel = forms.ChoiceField(
        label=_("How should we send you a code?"), widget=forms.RadioSelect,
        choices=[("email", _("By email")), ("sms", _("By text message to a mobile"))],
        help_text=_("We only use it to contact you about your bid. It is never shown publicly."),
        error_messages={"required": _("Choose email or text message.")})
    email = forms.EmailField(label=_("Email address"), required=False,
                             help_text=_("If you chose email"),
                             error_messages={"invalid": _("Enter an email address in the right "
                                                          "format, like name@example.com")})
    mobile = forms.CharField(label=_("Mobile number"), required=False, max_length=30,
                             help_text=_("If you chose text message. For example 07700 900123"))

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if channel == "email" and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter your email address, or choose text message."))
        if channel == "sms":
            self.errors.pop("email", None)  # what is left in the unused box does not matter
        if channel == "sms" and "mobile" not in self.errors:
            try:
                data["mobile"] = normalise_mobile(data.get("mobile", ""))
            except forms.ValidationError as e:
                self.add_error("mobile", e)
        return data

    def address(self):
        return (self.cleaned_data["mobile"] if self.cleaned_data["channel"] == "sms"
                else self.cleaned_data["email"])


class CodeCheckForm(forms.Form):
    code = forms.CharField(label=_("The code we sent you"), max_length=6,
                           error_messages={"required": _("Enter the code we sent you.")})


class BidForm(forms.Form):
    title = forms.CharField(label=_("Name of your project"), max_length=200,
                            error_messages={"required": _("Enter the name of your project.")})
    summary = forms.CharField(label=_("What it will do"), widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": _("Say what it will do.")})
    group_name = forms.CharField(label=_("Name of your group"), max_length=200,
                                 error_messages={"required": _("Enter the name of your "
                                                               "group.")})
    group_kind = forms.ChoiceField(label=_("Kind of group"),
                                   error_messages={"required": _("Choose the kind of group.")})
    place = forms.CharField(label=_("Where it will happen"), max_length=200,
                            error_messages={"required": _("Say where it will happen.")})
    theme = forms.ChoiceField(label=_("Theme"), required=False,
                              error_messages={"required": _("Choose a theme.")})
    cost = forms.DecimalField(label=_("Amount you are asking for"), min_value=1,
                              decimal_places=2,
                              error_messages={"required": _("Enter the amount you are asking "
                                                            "for."),
                                              "invalid": _("Enter the amount as a number, like "
                                                           "2500.")})

    def __init__(self, *args, process=None, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = process.group_kind_list
        self.fields["group_kind"].choices = [(k, k) for k in kinds] if kinds else GROUP_KINDS
        themes = process.theme_list
        if themes:
            self.fields["theme"].choices = [(t, t) for t in themes]
            self.fields["theme"].required = True
        else:
            del self.fields["theme"]
        if process.max_bid:
            self.fields["cost"].help_text = _("In %(currency)s; at most %(most)s") % {
                "currency": process.currency, "most": f"{process.max_bid:,.0f}"}


class VoteForm(forms.Form):
    """The ballot: a voter code and the choices, shaped by the process's ballot kind."""

    code = forms.CharField(label=_("Your voter code"), max_length=20,
                           help_text=_("The code on the card you were given, for example "
                                       "ABCD2345"),
                           error_messages={"required": _("Enter your voter code.")})

    def __init__(self, *args, process=None, bids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        self.bids = list(bids)
        kind = process.ballot_kind
        if kind in (BallotKind.APPROVAL, BallotKind.BASKET):
            self.fields["choices"] = forms.MultipleChoiceField(
                label=_("The bids you support"), required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(b.reference, f"{localised(b, 'title')} ({b.cost:,.0f} "
                                       f"{process.currency})")
                         for b in self.bids])
        else:
            for b in self.bids:
                label = (_("Rank for %(title)s") if kind == BallotKind.RANKED
                         else _("Points for %(title)s")) % {"title": localised(b, "title")}
                self.fields[f"bid_{b.reference}"] = forms.IntegerField(
                    label=label, required=False, min_value=0 if kind != BallotKind.RANKED else 1,
                    help_text=f"{b.cost:,.0f} {process.currency}")

    def choices(self):
        kind = self.process.ballot_kind
        data = self.cleaned_data
        if kind in (BallotKind.APPROVAL, BallotKind.BASKET):
            return list(data.get("choices") or [])
        given = {b.reference: data.get(f"bid_{b.reference}") for b in self.bids}
        given = {ref: v for ref, v in given.items() if v not in (None, 0)}
        if kind == BallotKind.RANKED:
            ranks = sorted(given.items(), key=lambda kv: kv[1])
            if len({r for _, r in ranks}) != len(ranks):
                raise forms.ValidationError(_("Give each bid a different rank."))
            return [ref for ref, _ in ranks]
        return given
