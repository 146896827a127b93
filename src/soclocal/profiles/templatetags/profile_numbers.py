"""How a profile's numbers read in the page, PDF and HTML file: counts with thousands
separators, harm in whole days, percentages and rates to one decimal place. A hidden count
("[c]") or a missing figure passes through as it is; the JSON and CSV keep the raw numbers."""

from django import template

register = template.Library()


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@register.filter
def count(value):
    """12345 -> '12,345'; an estimated count (a float) is rounded to a whole number."""
    return f"{round(value):,}" if _number(value) else ("" if value is None else value)


@register.filter
def harm(value):
    """Days of harm without decimals: 123456.78 -> '123,457'."""
    return count(value)


@register.filter
def pct(value):
    """A percentage to one decimal place: 86.857 -> '86.9'."""
    return f"{value:,.1f}" if _number(value) else ("" if value is None else value)


@register.filter
def rate(value):
    """A rate per 1,000 residents to one decimal place, with thousands separators."""
    return pct(value)


@register.filter
def fraction_pct(value):
    """A fraction (0 to 1) as a percentage without trailing zeros: 0.25 -> '25', 0.015 -> '1.5'."""
    if not _number(value):
        return "" if value is None else value
    return f"{100 * value:.1f}".removesuffix(".0")
