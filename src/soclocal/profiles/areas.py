"""Finding the area a profile is about from what a person typed: a code or an exact name."""

from django.db.models import Q

from soclocal.areas.models import Area


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
        raise AmbiguousArea(f"No area has the code or name '{text}'. Search the areas "
                            "explorer for its code.")
    listed = "; ".join(f"{a.name} ({a.type_label}, {a.code})" for a in found)
    raise AmbiguousArea(f"'{text}' could be more than one area: {listed}. Use its code.")
