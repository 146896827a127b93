from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AreaType


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=100,
                        help_text=_("For example Nottingham, St. Ann's or E01013810"))
    type = forms.ChoiceField(label=_("Type of area"), required=False,
                             choices=[("", _("Any type")), *AreaType.choices])


class WithinForm(forms.Form):
    within = forms.ChoiceField(label=_("Local authority to draw within"), required=True)

    def __init__(self, *args, authorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["within"].choices = [("", _("Choose a local authority"))] + [
            (f"{a.type}/{a.code}", a.name) for a in authorities]


class NeighbourhoodForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("What the neighbourhood is and why the "
                                              "partnership uses it"))
    members = forms.MultipleChoiceField(label=_("LSOAs in the neighbourhood"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    codes = forms.CharField(label=_("Other LSOA or data zone codes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Codes separated by commas or new lines, for example "
                                        "E01013810 or S01006506"))
    within = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, member_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = list(member_choices)
