"""Finding the area a profile is about from what a person typed: a code or an exact name."""

import re
from functools import reduce
from operator import and_

from django.db.models import Q

from soclocal.areas.models import Area

# Words that do not help to find an area: a force's "Police", and joining words, so that
# "City of London Police" suggests the City of London and the force area "London, City of".
_NOISE = {"police", "constabulary", "service", "force", "area", "of", "the", "and", "&"}


class AmbiguousArea(ValueError):
    pass


def find_area(text: str) -> Area:
    """The one area whose code or exact name is `text`; a clear error otherwise."""
    text = (text or "").strip()
    found = list(Area.objects.filter(Q(code__iexact=text) | Q(name__iexact=text))
                 .exclude(type__in=("lsoa11", "dz11")).order_by("type", "code")[:20])
    by_code = [a for a in found if a.code.lower() == text.lower()]
    if len(by_code) == 1:
        return by_code[0]
    if len(found) == 1:
        return found[0]
    if not found:
        near = similar_names(text)
        hint = (" Areas with a similar name: " + "; ".join(
            f"{a.name} ({a.type_label}, {a.code})" for a in near) + ". Use its code or exact "
            "name." if near else " Search the areas explorer for its code.")
        raise AmbiguousArea(f"No area has the code or name '{text}'.{hint}")
    listed = "; ".join(f"{a.name} ({a.type_label}, {a.code})" for a in found)
    raise AmbiguousArea(f"'{text}' could be more than one area: {listed}. Use its code.")


def similar_names(text: str, limit: int = 8) -> list[Area]:
    """Areas (not small areas) whose name holds every telling word of `text`."""
    words = [w for w in re.split(r"[^\w'&]+", text.lower()) if w and w not in _NOISE]
    if not words:
        return []
    query = reduce(and_, (Q(name__icontains=w) for w in words))
    return list(Area.objects.filter(query).exclude(type__in=("lsoa11", "lsoa21", "dz11"))
                .order_by("type", "name")[:limit])
