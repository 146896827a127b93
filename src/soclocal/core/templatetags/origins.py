from django import template

from soclocal.core import origins as _origins

register = template.Library()


@register.inclusion_tag("core/_origins.html", takes_context=True)
def origins(context, record):
    """`{% origins record %}`: "Raised from" and "What came of it" for a record's page."""
    return _origins.trail(context["request"].user, record)
