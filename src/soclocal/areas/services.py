"""Changing geography: custom neighbourhoods, drawn by a partnership from LSOAs or data zones.

Analysts and community facilitators manage their own agency's neighbourhoods; a partnership
admin manages any. `actor=None` is the system itself (the demo loader, the command line).
"""

import re

import shapely
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from soclocal.core import audit
from soclocal.core.access import Scope, can, scope, scope_of

from .models import Area, AreaType, Neighbourhood

MEMBER_TYPES = (AreaType.LSOA21, AreaType.DZ11)


def parse_codes(text: str) -> list[str]:
    """Codes typed in a box: separated by commas, spaces or new lines."""
    return [c.upper() for c in re.split(r"[\s,;]+", text or "") if c]


def _members(codes) -> list[Area]:
    codes = sorted({c.strip().upper() for c in codes if c and c.strip()})
    if not codes:
        raise ValidationError({"members": _("Choose at least one LSOA or data zone.")})
    found = list(Area.objects.filter(type__in=MEMBER_TYPES, code__in=codes))
    unknown = sorted(set(codes) - {a.code for a in found})
    if unknown:
        raise ValidationError({"members": _("These are not LSOA 2021 or data zone codes in the "
                                            "system: %(codes)s.") % {"codes": ", ".join(unknown)}})
    if len({a.type for a in found}) > 1:
        raise ValidationError({"members": _("A neighbourhood is made of LSOAs or of data zones, "
                                          "not both.")})
    return found


def _check_name(name, exclude=None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter a name for the neighbourhood.")})
    if len(name) > 200:
        raise ValidationError({"name": _("The name must be 200 characters or fewer.")})
    clash = Area.objects.filter(type=AreaType.NEIGHBOURHOOD, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError({"name": _("There is already a neighbourhood with this name.")})
    return name


def _outline(members) -> str | None:
    """The neighbourhood's own boundary: the union of its members' boundaries."""
    shapes = [g for g in Area.objects.filter(pk__in=[m.pk for m in members])
              .values_list("geometry", flat=True) if g]
    if not shapes:
        return None
    return shapely.to_geojson(shapely.union_all(shapely.make_valid(shapely.from_geojson(shapes))))


def _population(members):
    people = [m.population for m in members]
    return sum(people) if people and None not in people else None


def _next_code() -> str:
    codes = Area.objects.filter(type=AreaType.NEIGHBOURHOOD).values_list("code", flat=True)
    numbers = [int(c[1:]) for c in codes if re.fullmatch(r"N\d+", c)]
    return f"N{max(numbers, default=0) + 1:05d}"


def _refuse(actor, obj=None, **detail):
    audit.record("access.denied", actor=actor, obj=obj,
                 detail={"capability": "neighbourhood.manage", **detail})
    raise PermissionDenied


# Access is checked before the transaction opens, so an audited refusal is never rolled back.

def create_neighbourhood(actor, *, name: str, member_codes, description: str = "",
                         owning_agency=None) -> Neighbourhood:
    if actor is not None and not can(actor, "neighbourhood.manage"):
        _refuse(actor)
    if owning_agency is None:
        owning_agency = getattr(actor, "agency", None)
    if owning_agency is None:
        raise ValidationError({"owning_agency": _("Say which agency owns the neighbourhood.")})
    if (actor is not None and scope_of(actor, "neighbourhood.manage") < Scope.PARTNERSHIP
            and owning_agency.pk != actor.agency_id):
        _refuse(actor, owning_agency=owning_agency.name)
    with transaction.atomic():
        name = _check_name(name)
        members = _members(member_codes)
        people = _population(members)
        area = Area.objects.create(
            type=AreaType.NEIGHBOURHOOD, code=_next_code(), name=name,
            geometry=_outline(members), population=people,
            population_source="sum of its LSOAs" if people is not None else "",
        )
        hood = Neighbourhood.objects.create(area=area, description=(description or "").strip(),
                                            owning_agency=owning_agency, created_by=actor)
        hood.members.set(members)
        audit.record("neighbourhood.created", actor=actor, obj=hood,
                     detail={"code": area.code, "name": name,
                             "owning_agency": owning_agency.name,
                             "members": sorted(m.code for m in members)})
    return hood


def update_neighbourhood(actor, neighbourhood: Neighbourhood, *, name: str, member_codes,
                         description: str = "") -> Neighbourhood:
    if actor is not None and not scope(actor, "neighbourhood.manage", Neighbourhood.objects
                                       .filter(pk=neighbourhood.pk)).exists():
        _refuse(actor, neighbourhood)
    with transaction.atomic():
        area = neighbourhood.area
        name = _check_name(name, exclude=area)
        members = _members(member_codes)
        before = {"name": area.name, "description": neighbourhood.description,
                  "members": sorted(neighbourhood.members.values_list("code", flat=True))}
        area.name = name
        area.geometry = _outline(members)
        area.population = _population(members)
        area.population_source = "sum of its LSOAs" if area.population is not None else ""
        area.save()
        neighbourhood.description = (description or "").strip()
        neighbourhood.save()
        neighbourhood.members.set(members)
        after = {"name": name, "description": neighbourhood.description,
                 "members": sorted(m.code for m in members)}
        audit.record("neighbourhood.changed", actor=actor, obj=neighbourhood,
                     detail={"code": area.code, "before": before, "after": after})
    return neighbourhood
