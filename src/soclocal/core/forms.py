from django.contrib.messages import success as flash_success
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from . import audit


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form that was submitted, keeping what was typed.

    Errors about the form's own fields go beside them; the rest go to the top of the form.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def submitted(request, form, call, *, success, to=None, valid=True):
    """The shape a form page shares: on a POST whose form (and `valid`) checks out, run
    `call()`, the service given what the form holds. A refusal goes onto the form and None comes
    back, so the page shows it beside what was typed; otherwise `success` is flashed and the
    redirect to `to` (or to what the service returned) comes back for the view to return."""
    if request.method != "POST" or not (form.is_valid() and valid):
        return None
    try:
        result = call()
    except ValidationError as e:
        add_service_errors(form, e)
        return None
    flash_success(request, success)
    return redirect(to if to is not None else result)


def stated_purpose(request, form_class, labels, default):
    """The purpose a reader gives for opening a personal record (`?purpose=`), as the label the
    audit trail keeps: `default`'s when none is stated, None when the one stated is not offered,
    for then the record is not shown and no read of it is recorded (`purpose_refused`)."""
    if "purpose" not in request.GET:
        return form_class(), labels[default]
    form = form_class(request.GET)
    return form, labels[form.cleaned_data["purpose"]] if form.is_valid() else None


def purpose_refused(request, form):
    """Ask again for a purpose, with nothing of the record on the page."""
    return render(request, "core/purpose_refused.html", {"purpose_form": form}, status=400)


def read_for_purpose(request, obj, action, form_class, labels, default):
    """Open the personal record `obj` for the purpose its reader states (`stated_purpose`) and
    audit the read as `action` with that purpose's label. Returns the purpose form, the label
    and None; or, when the purpose stated is not offered, the refusal page to return instead
    (`purpose_refused`), with nothing of the record shown and no read recorded."""
    form, purpose = stated_purpose(request, form_class, labels, default)
    if purpose is None:
        return form, None, purpose_refused(request, form)
    audit.record(action, actor=request.user, obj=obj, purpose=purpose)
    return form, purpose, None


@deconstructible
class MaxUploadSize:
    """A file field's limit: every upload has one (tests/core/test_security.py checks).
    The message names the file and the limit, so the person knows what to do."""

    def __init__(self, most_bytes: int, hint: str = ""):
        self.most_bytes = most_bytes
        self.hint = hint

    def __call__(self, upload):
        if upload is not None and getattr(upload, "size", 0) > self.most_bytes:
            raise ValidationError(
                _("%(name)s is larger than %(most)s") + (": " + str(self.hint) if self.hint else ""),
                params={"name": getattr(upload, "name", _("The file")),
                        "most": _size(self.most_bytes)}, code="file_too_large")

    def __eq__(self, other):
        return isinstance(other, MaxUploadSize) and other.most_bytes == self.most_bytes


def _size(n: int) -> str:
    if n >= 1 << 30:
        return f"{n / (1 << 30):g} GB"
    return f"{n / (1 << 20):g} MB"


def limit_upload(field, most_bytes: int, hint: str = ""):
    """`field`, with the largest upload it takes."""
    field.validators.append(MaxUploadSize(most_bytes, hint))
    field.max_upload_bytes = most_bytes
    return field
