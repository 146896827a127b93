"""Finding the area a profile is about from what a person typed: a code or an exact name."""

import re
from functools import reduce
from operator import and_

from django.db.models import Q
from django.utils.translation import gettext as _

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
        hint = (_("Areas with a similar name: %(areas)s. Use its code or exact name.")
                % {"areas": "; ".join(_described(a) for a in near)} if near
                else _("Search the areas explorer for its code."))
        raise AmbiguousArea(_("No area has the code or name '%(text)s'.") % {"text": text}
                            + " " + hint)
    listed = "; ".join(_described(a) for a in found)
    raise AmbiguousArea(_("'%(text)s' could be more than one area: %(areas)s. Use its code.")
                        % {"text": text, "areas": listed})


def _described(area: Area) -> str:
    return f"{area.name} ({_(area.type_label)}, {area.code})"


def similar_names(text: str, limit: int = 8) -> list[Area]:
    """Areas (not small areas) whose name holds every telling word of `text`."""
    words = [w for w in re.split(r"[^\w'&]+", text.lower()) if w and w not in _NOISE]
    if not words:
        return []
    query = reduce(and_, (Q(name__icontains=w) for w in words))
    return list(Area.objects.filter(query).exclude(type__in=("lsoa11", "lsoa21", "dz11"))
                .order_by("type", "name")[:limit])
