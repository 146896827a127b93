"""A slot on the board's dashboard that another context fills: the evaluation's headline.

A context registers `fn(user) -> Headline | None` from its AppConfig.ready(); the dashboard
shows every headline registered, after its own sections, and nothing when none is. The figures
in a headline must already be suppressed (core/disclosure.py) and dated by the context that
makes them: the dashboard prints them as given.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Headline:
    title: str  # e.g. "What changed for the young people the service worked with"
    dated: date | str  # the day or period the figures describe
    figures: list[tuple[str, object]] = field(default_factory=list)  # (label, shown value)
    text: str = ""  # one or two plain sentences
    url: str = ""  # where to read more, for those who may


Provider = Callable[[object], "Headline | None"]
_providers: list[Provider] = []


def register(fn: Provider) -> Provider:
    if fn not in _providers:
        _providers.append(fn)
    return fn


def unregister(fn: Provider) -> None:
    if fn in _providers:
        _providers.remove(fn)


def for_user(user) -> list[Headline]:
    return [h for fn in _providers if (h := fn(user)) is not None]
