"""Finds text in a Django template that a reader would see but that is not marked for
translation: text between tags, and the attributes people read (alt, title, placeholder,
aria-label), outside {% translate %} and {% blocktranslate %}."""

import re
from html.parser import HTMLParser

from django.template.base import Lexer, TokenType

# Words that are the same in every language: the system's own name.
ALLOWED = {"soclocal"}
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
HOLE = "\x00"  # where a template tag or variable stood
LETTER = re.compile(r"[^\W\d_]")


def _with_holes(source: str) -> str:
    """The template's literal text, with every tag, variable, comment and translated block
    replaced by a hole."""
    out, skipping = [], None
    for token in Lexer(source).tokenize():
        if skipping:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == skipping:
                skipping = None
            continue
        if token.token_type == TokenType.TEXT:
            out.append(token.contents)
            continue
        out.append(HOLE)
        if token.token_type == TokenType.BLOCK:
            word = token.contents.split()[0] if token.contents else ""
            if word in ("blocktranslate", "blocktrans"):
                skipping = "end" + word
            elif word == "comment":
                skipping = "endcomment"
    return "".join(out)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self._check(data)

    def _check(self, text):
        words = [w for w in re.split(r"[\s\x00]+", text) if w]
        left = [w for w in words if w.strip(".,:;()") not in ALLOWED]
        if any(LETTER.search(w) for w in left):
            self.found.append(" ".join(words))


def unmarked(source: str) -> list[str]:
    """The pieces of readable text in a template that are not marked for translation."""
    reader = _Reader()
    reader.feed(_with_holes(source))
    reader.close()
    return reader.found
