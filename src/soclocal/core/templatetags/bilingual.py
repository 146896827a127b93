"""Bilingual content in templates: {{ process|local:"name" }} is the reader's language (the
other if theirs is blank); {{ process|other_language:"name" }} is the other, if different."""

from django import template

from soclocal.core import language

register = template.Library()


@register.filter
def local(obj, field):
    return language.localised(obj, field)


@register.filter
def other_language(obj, field):
    return language.in_other(obj, field)


@register.simple_tag
def other_language_name():
    return language.NAMES[language.other(language.current())]


@register.simple_tag
def other_language_code():
    return language.html_lang(language.other(language.current()))
