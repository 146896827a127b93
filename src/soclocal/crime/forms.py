from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from soclocal.core.forms import limit_upload

# police.uk's monthly archive for every force is about 1.7 GB; a file a month for one force is
# a few megabytes.
MAX_CRIME_UPLOAD_BYTES = 2 << 30


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else single(data, initial)


class UploadForm(forms.Form):
    files = limit_upload(MultipleFileField(
        label=_("police.uk files"),
        help_text=_("One or more CSV files from data.police.uk (street crime, outcomes or stop "
                    "and search), or the monthly archive as a zip file")), MAX_CRIME_UPLOAD_BYTES,
        _("import larger archives from the command line (soclocal import crime)"))
    accept_rejects = forms.BooleanField(
        label=_("Import the good rows even if some rows are wrong, and keep the wrong rows "
                "for review"), required=False)

    def clean_files(self):
        files = self.cleaned_data["files"]
        wrong = [f.name for f in files if not f.name.lower().endswith((".csv", ".zip"))]
        if wrong:
            raise forms.ValidationError(
                ngettext("Choose CSV files or a zip archive: %(names)s is neither",
                         "Choose CSV files or a zip archive: %(names)s are neither", len(wrong)),
                params={"names": ", ".join(wrong)})
        return files
