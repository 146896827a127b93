from django import template

from soclocal.core import origins as _origins

register = template.Library()


@register.inclusion_tag("core/_origins.html", takes_context=True)
def origins(context, record):
    """`{% origins record %}`: "Raised from" and "What came of it" for a record's page."""
    return _origins.trail(context["request"].user, record)


@register.simple_tag(takes_context=True)
def raised_from(context, record):
    """`{% raised_from record as links %}`: only where a record came from, for a row inside a
    card (a page with several records cannot repeat the whole section)."""
    return _origins.trail(context["request"].user, record)["raised_from"]
