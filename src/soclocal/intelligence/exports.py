"""The intelligence network as files: FollowTheMoney JSON lines, GEXF or GraphML.

Our entities and links become the plain dicts `core.ftm` and `core.networks` read. People
merged into another record are left out (their links moved to the record they were merged
into), as is any link still joining them.
"""

from soclocal.core import ftm, networks

from .models import Entity, Link

FORMATS = ("ftm", "gexf", "graphml")


def ftm_properties(e: Entity) -> dict:
    """What core.ftm reads for each kind of entity."""
    if e.kind == Entity.Kind.PERSON:
        return {"forenames": e.forenames or e.name, "surname": e.surname,
                "date_of_birth": e.date_of_birth, "address": e.address,
                "postcode": e.postcode, "phone": e.phone}
    if e.kind == Entity.Kind.ADDRESS:
        return {"full": e.address or e.name, "postcode": e.postcode}
    if e.kind == Entity.Kind.VEHICLE:
        return {"registration": e.name, "make": e.description}
    if e.kind == Entity.Kind.PHONE:
        return {"number": e.name or e.phone}
    if e.kind == Entity.Kind.ONLINE_ACCOUNT:
        return {"username": e.name, "platform": e.description}
    return {"name": e.name, "organised_crime_group": e.organised_crime_group}


def network_records(entities=None, links=None):
    """(entities, links) of the whole network as it stands, merged people left out."""
    entities = list((entities if entities is not None else Entity.objects.all())
                    .filter(merged_into__isnull=True).order_by("pk"))
    ids = {e.pk for e in entities}
    links = [link for link in (links if links is not None else Link.objects.all())
             .prefetch_related("reports").order_by("pk")
             if link.from_entity_id in ids and link.to_entity_id in ids]
    return entities, links


def _grading(link):
    grades = sorted(r.grade for r in link.reports.all())
    return grades[0] if grades else None


def write(fmt, out, entities=None, links=None) -> tuple[int, int]:
    """Write the network to the binary stream `out` in `fmt`; (entities, links) written."""
    entities, links = network_records(entities, links)
    if fmt == "ftm":
        for line in ftm.export_lines(
                [{"id": e.pk, "kind": e.kind, "properties": ftm_properties(e)}
                 for e in entities],
                [{"id": k.pk, "kind": k.kind, "from": k.from_entity_id, "to": k.to_entity_id,
                  "start": k.start, "end": k.end} for k in links]):
            out.write(line.encode("utf-8"))
    else:
        graph = networks.build(
            [{"id": e.pk, "kind": e.kind, "label": e.label} for e in entities],
            [{"id": k.pk, "source": k.from_entity_id, "target": k.to_entity_id,
              "kind": k.kind, "start": k.start, "end": k.end, "grading": _grading(k)}
             for k in links])
        out.write(networks.to_gexf(graph) if fmt == "gexf" else networks.to_graphml(graph))
    return len(entities), len(links)
