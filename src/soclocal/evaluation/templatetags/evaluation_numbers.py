"""Numbers in the evaluation report: counts, means, shares, estimates with intervals."""

from django import template

register = template.Library()


@register.filter
def num(value, places=2):
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{int(places)}f}"


@register.filter
def share(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.0%}"
    return value if value is not None else "–"


@register.filter
def interval(est, kind="difference"):
    """'+0.12 (−0.30 to +0.54)' for a difference, '0.81 (0.60 to 1.09)' for a ratio."""
    if not est:
        return "not estimated"
    sign = "+" if kind == "difference" else ""
    return (f"{est['estimate']:{sign}.2f} ({est['ci_low']:{sign}.2f} to "
            f"{est['ci_high']:{sign}.2f})")


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)
