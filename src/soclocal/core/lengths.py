"""Text too long for its column is refused with a message keyed to the field, on every
database. SQLite keeps any length; PostgreSQL stops the write with a DataError, which would
reach the person as a server error. Forms carry the same limits, so this catches what other
callers (the API, imports, the command line) pass to a service."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver


@receiver(pre_save)
def _refuse_text_too_long(sender, instance, raw=False, **kwargs):
    if raw or not sender.__module__.startswith("soclocal."):
        return
    errors = {}
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField) and field.max_length:
            value = getattr(instance, field.attname)
            if isinstance(value, str) and len(value) > field.max_length:
                errors[field.name] = (f"Keep this to {field.max_length:,} characters or fewer "
                                      f"(it has {len(value):,}).")
    if errors:
        raise ValidationError(errors)
