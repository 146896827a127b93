"""Words that blame children for their own exploitation, and kinder ones to use instead.

The check warns and never blocks: the person writing decides. A partnership can replace the
list with the CASES_BLAMING_PHRASES setting (a list of [phrase, suggestion] pairs).
"""

import re
from dataclasses import dataclass

from django.conf import settings

DEFAULT_PHRASES = [
    ("putting themselves at risk", "is being put at risk by people who exploit them"),
    ("putting himself at risk", "is being put at risk by people who exploit him"),
    ("putting herself at risk", "is being put at risk by people who exploit her"),
    ("lifestyle choice", "is being exploited; a child cannot choose to be exploited"),
    ("streetwise", "has had to learn to survive harm"),
    ("recruiting others", "is being used by adults to draw in other children"),
    ("choosing to associate", "is being groomed or controlled by older people"),
    ("chooses to associate", "is being groomed or controlled by older people"),
    ("promiscuous", "is being sexually exploited"),
    ("sexually active", "is being sexually exploited (if an adult is involved)"),
    ("drug runner", "a child being criminally exploited to move drugs"),
    ("gang member", "a child groomed into a group that exploits them"),
    ("he's their mate", "he's not their mate, he's exploiting them"),
    ("consented to", "cannot consent to their own exploitation"),
    ("young offender", "a child who has been criminalised"),
]


@dataclass(frozen=True)
class Warning:
    phrase: str
    suggestion: str
    field: str = ""


def phrases():
    return [tuple(p) for p in getattr(settings, "CASES_BLAMING_PHRASES", DEFAULT_PHRASES)]


def _pattern(phrase):
    # Whole words, any spacing and case, so "Lifestyle  choice" is caught but "choices" in
    # longer words is not mistaken for it.
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def check(text: str, field: str = "") -> list[Warning]:
    """The blaming phrases found in a text, each once, in the order of the list."""
    if not text:
        return []
    text = text.replace("\u2019", "'")
    return [Warning(phrase, suggestion, field) for phrase, suggestion in phrases()
            if _pattern(phrase).search(text)]


def check_fields(**texts) -> list[Warning]:
    found = []
    for field, text in texts.items():
        found += check(text or "", field)
    return found
