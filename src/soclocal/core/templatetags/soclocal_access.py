from django import template

from soclocal.core.access import can as _can

register = template.Library()


@register.filter
def can(user, capability):
    """`{% if user|can:"accounts.manage" %}`: show controls only to those who may use them."""
    return _can(user, capability)
