from django import forms
from django.utils.translation import gettext_lazy as _

from soclocal.accounts.models import Agency, User

from .models import FRAMEWORKS, Action

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    framework = forms.ChoiceField(label=_("Framework"), widget=forms.RadioSelect,
                                  choices=[(k, v[0]) for k, v in FRAMEWORKS.items()])
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 4}))


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    strand = forms.ChoiceField(label=_("Strand"))
    owning_agency = forms.ModelChoiceField(label=_("Owning agency"), queryset=Agency.objects.none())
    owner = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), required=False,
                                   help_text=_("Someone in the owning agency"))
    due_date = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strand"].choices = [("", "Choose a strand")] + list(plan.strands)
        self.fields["owning_agency"].queryset = Agency.objects.filter(active=True).order_by("name")
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by("last_name")
        self.fields["owner"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.agency})"


class UpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label=_("Outcome"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("What the action achieved, when there is something to say"))


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Name"), max_length=200,
                            initial="Multi-agency tasking group")
    date = forms.DateField(label=_("Date"), widget=DATE)
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}),
                           initial="10:00")
    duration_minutes = forms.IntegerField(label=_("Length in minutes"), min_value=15,
                                          max_value=600, initial=120)
    location = forms.CharField(label=_("Where"), max_length=200, required=False)
    agencies = forms.ModelMultipleChoiceField(label=_("Invited agencies"), required=False,
                                              queryset=Agency.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    people = forms.ModelMultipleChoiceField(label=_("Invited people"), required=False,
                                            queryset=User.objects.none(),
                                            help_text=_("Anyone not in an invited agency"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.filter(active=True).order_by("name")
        self.fields["people"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name")
        self.fields["people"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.agency})"


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=300)
    detail = forms.CharField(label=_("Detail"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("What was said and agreed"))


class AttendanceForm(forms.Form):
    def __init__(self, *args, people, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        from .models import Attendance

        for p in people:
            self.fields[f"p{p.pk}"] = forms.ChoiceField(
                label=f"{p.get_full_name()} ({p.agency})", choices=Attendance.Status.choices,
                widget=forms.RadioSelect, required=False, initial=current.get(p.pk))

    def statuses(self) -> dict:
        return {p: self.cleaned_data[f"p{p.pk}"] for p in self.people
                if self.cleaned_data.get(f"p{p.pk}")}


class MeetingDecisionForm(forms.Form):
    """Choose the priority; the rest is the priorities' own decision form."""

    threat = forms.ModelChoiceField(label=_("Priority"), queryset=None)

    def __init__(self, *args, threats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["threat"].queryset = threats.order_by("title")


class MeetingActionForm(ActionForm):
    plan_choice = forms.ModelChoiceField(label=_("Plan"), queryset=None)
    field_order = ["plan_choice", "title", "strand", "owning_agency", "owner", "due_date"]

    def __init__(self, *args, plans, **kwargs):
        from .models import STRAND_LABELS

        class AnyPlan:
            strands = sorted(STRAND_LABELS.items(), key=lambda kv: kv[1])

        super().__init__(*args, plan=AnyPlan, **kwargs)
        self.fields["plan_choice"].queryset = plans
        self.order_fields(self.field_order)
