from django import forms

from soclocal.accounts.models import Agency, User

from .models import FRAMEWORKS, Action

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    framework = forms.ChoiceField(label="Framework", widget=forms.RadioSelect,
                                  choices=[(k, v[0]) for k, v in FRAMEWORKS.items()])
    objectives = forms.CharField(label="Objectives", widget=forms.Textarea(attrs={"rows": 4}))


class ActionForm(forms.Form):
    title = forms.CharField(label="Action", max_length=200)
    strand = forms.ChoiceField(label="Strand")
    owning_agency = forms.ModelChoiceField(label="Owning agency", queryset=Agency.objects.none())
    owner = forms.ModelChoiceField(label="Person", queryset=User.objects.none(), required=False,
                                   help_text="Someone in the owning agency")
    due_date = forms.DateField(label="Due date", widget=DATE)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strand"].choices = [("", "Choose a strand")] + list(plan.strands)
        self.fields["owning_agency"].queryset = Agency.objects.filter(active=True).order_by("name")
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by("last_name")
        self.fields["owner"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.agency})"


class UpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label="Outcome", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="What the action achieved, when there is something to say")
