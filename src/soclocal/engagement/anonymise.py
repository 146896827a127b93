"""Flag what might identify someone in a story, for a person to review before it is shared.

Simple and cautious: capitalised words that do not start a sentence (names), known place
names from the areas table, and words that name institutions (schools and the like). It
flags; it never decides.
"""

import re
from dataclasses import dataclass

INSTITUTION_WORDS = {"school", "academy", "college", "primary", "high", "church", "mosque",
                     "club", "centre", "center", "estate", "street", "road", "park"}
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
SENTENCE_END = re.compile(r"[.!?]\s*$")
COMMON = {"I", "I'm", "I've", "I'd", "I'll", "Mum", "Dad", "God", "Monday", "Tuesday",
          "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Christmas"}


@dataclass(frozen=True)
class Flag:
    start: int
    end: int
    text: str
    why: str


def flags(text: str, place_names=()) -> list[Flag]:
    found = []
    places = sorted({p for p in place_names if p and len(p) > 2}, key=len, reverse=True)
    taken = set()
    for place in places:
        for m in re.finditer(rf"\b{re.escape(place)}\b", text, flags=re.IGNORECASE):
            if not taken.intersection(range(m.start(), m.end())):
                found.append(Flag(m.start(), m.end(), m.group(), "a place name"))
                taken.update(range(m.start(), m.end()))
    for m in WORD.finditer(text):
        if taken.intersection(range(m.start(), m.end())):
            continue
        word = m.group()
        before = text[:m.start()]
        if word.lower() in INSTITUTION_WORDS and word[0].isupper():
            found.append(Flag(m.start(), m.end(), word, "names a school or place"))
        elif word[0].isupper() and word not in COMMON and before.strip() and \
                not SENTENCE_END.search(before) and not before.rstrip().endswith(('"', ":")):
            found.append(Flag(m.start(), m.end(), word, "may be a name"))
    return sorted(found, key=lambda f: f.start)
