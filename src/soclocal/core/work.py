"""The work queue: what needs each person today, gathered from every context.

A context contributes by registering a provider, a function of the signed-in user that returns
`WorkItem`s read through its own selectors (so every item is already within the user's access).
Providers live in each app's `work.py`, imported by its AppConfig.ready(). The home page lists
the items, overdue and urgent first, above the links to each part of the system.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone


@dataclass(frozen=True)
class WorkItem:
    heading: str  # the kind of work, e.g. "Contacts due" or "Intelligence to assess"
    text: str  # one line: what and for whom (never a young person's name on its own)
    url: str
    due: date | None = None
    urgent: bool = False  # safeguarding or otherwise needing attention before anything else

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


Provider = Callable[[object], Iterable[WorkItem]]
_providers: list[Provider] = []


def provider(fn: Provider) -> Provider:
    """Register `fn(user) -> Iterable[WorkItem]` as a source of the work queue."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def for_user(user) -> list[WorkItem]:
    """Every provider's items for `user`: urgent, then overdue, then by due date (none last)."""
    items = [item for fn in _providers for item in fn(user)]
    return sorted(items, key=lambda i: (not i.urgent, not i.overdue, i.due or date.max, i.heading))
