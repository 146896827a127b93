from django import template

register = template.Library()


@register.filter
def thousands(value):
    """1296 -> '1,296' (population figures)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value
