from django import forms
from django.utils.translation import gettext_lazy as _

from soclocal.crime.store import CRIME_TYPES

from . import selectors
from .report import SECTIONS, section_label
from .services import TEXT_LIMIT, field_name


class BuildForm(forms.Form):
    area = forms.CharField(label=_("Area"), max_length=200,
                           help_text=_("A code or exact name: a local authority, ward, police "
                                       "force area, LSOA or neighbourhood, for example "
                                       "Nottingham or E05012287"))
    month_from = forms.CharField(label=_("First month"), max_length=7,
                                 help_text=_("As YYYY-MM, for example 2024-01"))
    month_to = forms.CharField(label=_("Last month"), max_length=7,
                               help_text=_("As YYYY-MM, for example 2024-12"))


class TextsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, _label in SECTIONS:
            self.fields[key] = forms.CharField(label=section_label(key), required=False, max_length=TEXT_LIMIT,
                                               widget=forms.Textarea(attrs={"rows": 4}))


_field_name = field_name


class HarmWeightsForm(forms.Form):
    """A weight for each crime type the partnership's data holds, grouped by source."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = selectors.weighted_types()
        for crime_type in (t for types in self.sources.values() for t in types):
            self.fields[_field_name(crime_type)] = forms.DecimalField(
                label=crime_type, min_value=0, max_value=100000, decimal_places=2,
                max_digits=9, help_text=_("Days"))

    def groups(self):
        """(source, [its boxes]) for the template."""
        return [(source, [self[_field_name(t)] for t in types])
                for source, types in self.sources.items()]

    @staticmethod
    def initial_for(weights):
        return {_field_name(t): w for t, w in weights.items()}

    def weights(self):
        return {t: self.cleaned_data[_field_name(t)]
                for types in self.sources.values() for t in types}


class SocFractionsForm(forms.Form):
    """Low, central and high percentage for each crime type, in three columns of fields."""

    LEVELS = (("low", _("low")), ("central", _("central")), ("high", _("high")))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for crime_type in CRIME_TYPES:
            for level, label in self.LEVELS:
                self.fields[f"{_field_name(crime_type)}_{level}"] = forms.DecimalField(
                    label=_("%(crime_type)s: %(level)s (%%)") % {"crime_type": crime_type,
                                                                  "level": label},
                    min_value=0, max_value=100,
                    decimal_places=1, max_digits=4)

    def rows(self):
        """(crime type, [its low, central and high fields]) for the template."""
        return [(t, [self[f"{_field_name(t)}_{level}"] for level, _label in self.LEVELS])
                for t in CRIME_TYPES]

    @classmethod
    def initial_for(cls, fractions):
        return {f"{_field_name(t)}_{level}": round(100 * value, 1)
                for t, values in fractions.items()
                for (level, _label), value in zip(cls.LEVELS, values, strict=True)}

    def percentages(self):
        return {t: [self.cleaned_data[f"{_field_name(t)}_{level}"]
                    for level, _label in self.LEVELS]
                for t in CRIME_TYPES}
