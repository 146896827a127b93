from django.contrib.messages import success as flash_success
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


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
