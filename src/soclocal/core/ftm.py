"""Export of entities and links as FollowTheMoney (FtM) objects, one JSON object a line.

FtM is the data model that tools such as Aleph and OpenAleph read, so an analyst can take a
network to them. Which schema each of our kinds becomes is decision 28; in short:

    person -> Person            associate -> Associate (two people; else UnknownLink)
    organisation -> Organization family -> Family (two people; else UnknownLink)
    business -> Company          member_of -> Membership
    address -> Address           owns -> Ownership (of a vehicle or business; else UnknownLink)
    vehicle -> Vehicle           pays -> Payment
    phone -> UserAccount         occupies, uses, seen_at -> UnknownLink with the kind as role
    online_account -> UserAccount

A link whose ends do not fit its schema (a family link to an organisation, say) becomes an
UnknownLink naming its kind, so every object exported is valid FtM. Ids are hashes of our
ids, the same on every export, so a second export updates the first rather than doubling it.
"""

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date

NO_NAME = "(no name recorded)"


def _model():
    """followthemoney's schema model, loaded on first use (it is slow to import)."""
    from followthemoney import model

    return model

ENTITY_SCHEMA = {
    "person": "Person",
    "organisation": "Organization",
    "business": "Company",
    "address": "Address",
    "vehicle": "Vehicle",
    "phone": "UserAccount",
    "online_account": "UserAccount",
}

# kind -> (schema, property for "from", property for "to", fixed properties)
LINK_SCHEMA = {
    "associate": ("Associate", "person", "associate", {"relationship": "associate"}),
    "family": ("Family", "person", "relative", {"relationship": "family"}),
    "member_of": ("Membership", "member", "organization", {"role": "member"}),
    "owns": ("Ownership", "owner", "asset", {"role": "owner"}),
    "pays": ("Payment", "payer", "beneficiary", {}),
    "occupies": ("UnknownLink", "subject", "object", {"role": "occupies"}),
    "uses": ("UnknownLink", "subject", "object", {"role": "uses"}),
    "seen_at": ("UnknownLink", "subject", "object", {"role": "seen at"}),
}


def entity_id(our_id, what: str = "entity") -> str:
    """The FtM id of one of our entities (or, with what="link", links): stable, and valid
    whatever our id looks like."""
    from followthemoney.util import make_entity_id

    return make_entity_id("soclocal", what, str(our_id))


def _text(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _add_required(proxy, prop, value):
    """A property FtM requires: what we hold if FtM keeps it (it drops control characters
    and the like), else NO_NAME."""
    proxy.add(prop, value or None)
    if not proxy.get(prop):
        proxy.add(prop, NO_NAME)


def _person(proxy, p):
    forenames, surname = _text(p.get("forenames")), _text(p.get("surname"))
    _add_required(proxy, "name", " ".join(x for x in (forenames, surname) if x))
    if forenames:
        first, _, middle = forenames.partition(" ")
        proxy.add("firstName", first)
        proxy.add("middleName", middle.strip() or None)
    proxy.add("lastName", surname or None)
    proxy.add("birthDate", _text(p.get("date_of_birth")) or None)
    address = ", ".join(x for x in (_text(p.get("address")), _text(p.get("postcode"))) if x)
    proxy.add("address", address or None)
    if p.get("phone"):  # dropped by FtM if it is not a possible UK or international number
        proxy.add("phone", _text(p["phone"]), format="gb")


def _organisation(proxy, p):
    _add_required(proxy, "name", _text(p.get("name")))
    if p.get("organised_crime_group"):
        proxy.add("topics", "crime")
        proxy.add("classification", "organised crime group")


def _business(proxy, p):
    _add_required(proxy, "name", _text(p.get("name")))


def _address(proxy, p):
    full, postcode = _text(p.get("full")), _text(p.get("postcode"))
    if postcode and postcode.replace(" ", "").upper() not in full.replace(" ", "").upper():
        full = ", ".join(x for x in (full, postcode) if x)
    _add_required(proxy, "full", full)
    proxy.add("postalCode", postcode or None)
    proxy.add("country", "gb")


def _vehicle(proxy, p):
    registration = _text(p.get("registration")).upper()
    make_model = " ".join(x for x in (_text(p.get("make")), _text(p.get("model"))) if x)
    _add_required(proxy, "name", registration or make_model)
    proxy.add("registrationNumber", registration or None)
    proxy.add("model", make_model or None)
    description = " ".join(x for x in (_text(p.get("colour")), make_model) if x)
    proxy.add("description", description or None)


def _phone(proxy, p):
    number = _text(p.get("number"))
    _add_required(proxy, "username", number)
    proxy.add("service", "phone")
    if number:
        proxy.add("phone", number, format="gb")


def _online_account(proxy, p):
    _add_required(proxy, "username", _text(p.get("username")))
    proxy.add("service", _text(p.get("platform")) or None)


FILL = {"person": _person, "organisation": _organisation, "business": _business,
        "address": _address, "vehicle": _vehicle, "phone": _phone,
        "online_account": _online_account}


def _entity(entity: Mapping):
    kind = entity["kind"]
    if kind not in ENTITY_SCHEMA:
        raise ValueError(f"entity {entity['id']}: there is no FollowTheMoney mapping for "
                         f"kind '{kind}'")
    proxy = _model().make_entity(ENTITY_SCHEMA[kind])
    proxy.id = entity_id(entity["id"])
    FILL[kind](proxy, entity.get("properties") or {})
    return proxy


def _fits(schema, prop, target):
    return target.is_a(schema.get(prop).range)


def _link(link: Mapping, ends: dict):
    if link["kind"] not in LINK_SCHEMA:
        raise ValueError(f"link {link['id']}: there is no FollowTheMoney mapping for kind "
                         f"'{link['kind']}'")
    for end in ("from", "to"):
        if link[end] not in ends:
            raise ValueError(f"link {link['id']}: its '{end}' entity {link[end]} is not "
                             "among the entities exported")
    source, target = ends[link["from"]], ends[link["to"]]
    name, from_prop, to_prop, fixed = LINK_SCHEMA[link["kind"]]
    schema = _model().get(name)
    if not (_fits(schema, from_prop, source.schema) and _fits(schema, to_prop, target.schema)):
        name, from_prop, to_prop = "UnknownLink", "subject", "object"
        fixed = {"role": link["kind"].replace("_", " ")}
    proxy = _model().make_entity(name)
    proxy.id = entity_id(link["id"], "link")
    proxy.add(from_prop, source.id)
    proxy.add(to_prop, target.id)
    for prop, value in fixed.items():
        proxy.add(prop, value)
    proxy.add("startDate", _text(link.get("start")) or None)
    proxy.add("endDate", _text(link.get("end")) or None)
    proxy.add("recordId", str(link["id"]))
    return proxy


def export(entities: Iterable[Mapping], links: Iterable[Mapping]) -> Iterator[dict]:
    """FtM objects (dicts) for every entity, then every link.

    Entity ids must be unique across kinds; a link naming an entity not given, or a kind
    with no mapping, is a ValueError before anything is yielded."""
    ends = {}
    for entity in entities:
        ends[entity["id"]] = _entity(entity)
    proxies = list(ends.values()) + [_link(link, ends) for link in links]
    for proxy in proxies:
        yield proxy.to_dict()


def export_lines(entities: Iterable[Mapping], links: Iterable[Mapping]) -> Iterator[str]:
    """The same as JSON lines, each ending in a newline."""
    for data in export(entities, links):
        yield json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n"
