from django import forms
from django.core.exceptions import ValidationError

from soclocal.core.forms import add_service_errors


class NameForm(forms.Form):
    name = forms.CharField()


def test_service_errors_go_beside_their_field_or_to_the_top():
    form = NameForm({"name": "Kept"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": "Taken.", "owner": "Not yours."}))
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Not yours."]
    assert form["name"].value() == "Kept"


def test_a_plain_service_error_goes_to_the_top():
    form = NameForm({"name": "Kept"})
    assert form.is_valid()
    add_service_errors(form, ValidationError("Rules are locked once voting starts."))
    assert form.non_field_errors() == ["Rules are locked once voting starts."]
