"""The intelligence network as the shared mechanisms read it, and as files.

Our entities and links become the plain dicts `core.networks` and `core.ftm` read, here and
nowhere else: the network page, the API and `soclocal intel export` all go through it. People
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


def link_grading(link: Link) -> str | None:
    """A link is as good as the best-graded report it comes from; with none, ungraded."""
    reports = sorted(link.reports.all(), key=lambda r: (r.source_grade, r.intelligence_grade))
    return reports[0].grade if reports else None


def network_records(entities=None, links=None):
    """(entities, links) as they stand, merged people left out; each link carries `grading`."""
    entities = list((entities if entities is not None else Entity.objects.all())
                    .filter(merged_into__isnull=True).order_by("pk"))
    ids = {e.pk for e in entities}
    links = [link for link in (links if links is not None else Link.objects.all())
             .prefetch_related("reports").order_by("pk")
             if link.from_entity_id in ids and link.to_entity_id in ids]
    for link in links:
        link.grading = link_grading(link)
    return entities, links


def graph(entities, links):
    return networks.build(
        [{"id": e.pk, "kind": e.kind, "label": e.label} for e in entities],
        [{"id": k.pk, "source": k.from_entity_id, "target": k.to_entity_id, "kind": k.kind,
          "start": k.start, "end": k.end, "grading": k.grading} for k in links])


def ftm_lines(entities, links):
    return ftm.export_lines(
        ({"id": e.pk, "kind": e.kind, "properties": ftm_properties(e)} for e in entities),
        ({"id": k.pk, "kind": k.kind, "from": k.from_entity_id, "to": k.to_entity_id,
          "start": k.start, "end": k.end} for k in links))


def write(fmt, out, entities=None, links=None) -> tuple[int, int]:
    """Write the network to the binary stream `out` in `fmt`; (entities, links) written."""
    entities, links = network_records(entities, links)
    if fmt == "ftm":
        for line in ftm_lines(entities, links):
            out.write(line.encode("utf-8"))
    else:
        g = graph(entities, links)
        out.write(networks.to_gexf(g) if fmt == "gexf" else networks.to_graphml(g))
    return len(entities), len(links)
