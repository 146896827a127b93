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


def _post(data):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    request = RequestFactory().post("/", data)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_submitted_redirects_after_the_service_and_keeps_the_form_when_it_refuses():
    from soclocal.core.forms import submitted

    request = _post({"name": "Kept"})
    form = NameForm(request.POST)
    refused = submitted(request, form, lambda: (_ for _ in ()).throw(
        ValidationError({"name": "Taken."})), success="Saved.", to="/done/")
    assert refused is None and form.errors["name"] == ["Taken."]
    assert form["name"].value() == "Kept"

    request = _post({"name": "Fine"})
    form = NameForm(request.POST)
    done = submitted(request, form, lambda: "/made/", success="Saved.")
    assert done.status_code == 302 and done.url == "/made/"
    assert [str(m) for m in request._messages] == ["Saved."]
    # An invalid form never reaches the service.
    request = _post({})
    assert submitted(request, NameForm(request.POST), lambda: 1 / 0, success="x") is None
