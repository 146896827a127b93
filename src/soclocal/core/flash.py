"""One shape many buttons share: call a service, say what happened, go back to the page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def call_and_redirect(request, call, *args, success, to, **kwargs):
    """Run `call(request.user, *args, **kwargs)`, flash `success` (or `success(result)` when
    it is callable) or, when the service refuses, the first reason it gives; then redirect to
    `to` (a URL, a URL name, or a model with get_absolute_url).

    A refusal is a ValidationError; anything else is a fault and is not hidden here."""
    try:
        result = call(request.user, *args, **kwargs)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(to)
