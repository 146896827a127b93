"""Why a bid was or was not funded, in the reader's language."""

import re

from django.utils.translation import gettext_lazy

# A result keeps its reasons as the English words above; residents reading in another
# language see them translated from these shapes (anything else is shown as it was stored).
_REASON_SHAPES = [
    (re.compile(r"^Funded: ranked (?P<rank>\d+) of (?P<of>\d+) by support, and its supporters' "
                r"equal shares covered its cost$"),
     gettext_lazy("Funded: ranked %(rank)s of %(of)s by support, and its supporters' equal "
                  "shares covered its cost")),
    (re.compile(r"^Funded: ranked (?P<rank>\d+) of (?P<of>\d+) by support$"),
     gettext_lazy("Funded: ranked %(rank)s of %(of)s by support")),
    (re.compile(r"^Not funded: no one voted for it$"),
     gettext_lazy("Not funded: no one voted for it")),
    (re.compile(r"^Not funded: ranked (?P<rank>\d+) of (?P<of>\d+) by support; its cost "
                r"\((?P<cost>[^)]*)\) is more than the money left \((?P<left>[^)]*)\)$"),
     gettext_lazy("Not funded: ranked %(rank)s of %(of)s by support; its cost (%(cost)s) is "
                  "more than the money left (%(left)s)")),
    (re.compile(r"^Not funded: ranked (?P<rank>\d+) of (?P<of>\d+) by support; its supporters' "
                r"equal shares did not cover its cost$"),
     gettext_lazy("Not funded: ranked %(rank)s of %(of)s by support; its supporters' equal "
                  "shares did not cover its cost")),
    (re.compile(r"^Not funded: the limit of (?P<limit>[\d,]+) for (?P<theme>.+) was reached$"),
     gettext_lazy("Not funded: the limit of %(limit)s for %(theme)s was reached")),
]


def reason_in_language(reason: str) -> str:
    """A stored reason in the reader's language."""
    for shape, words in _REASON_SHAPES:
        found = shape.match(reason)
        if found:
            return str(words) % found.groupdict()
    return reason
