"""The network page and its exports, through HTTP, on a small hand-made network."""

import io
import json
from datetime import date

import networkx as nx
import pytest
from django.urls import reverse
from followthemoney import model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soclocal.core.models import AuditEvent

from .conftest import GRADE


@pytest.fixture
def net(people, report):
    """A - B - C in a line (associates), C owns a van, A was seen at a flat until 2024, and
    a link from a 3/E report between B and D."""
    from soclocal.intelligence import services

    intel = people["intel"]
    person = lambda name: services.create_person(intel, forenames=name, surname="Example")  # noqa: E731
    a, b, c, d = (person(n) for n in ("Ann", "Ben", "Cal", "Dee"))
    flat = services.create_entity(intel, "address", address="4 Example Court",
                                  postcode="NG1 1AA")
    van = services.create_entity(intel, "vehicle", name="AB12 CDE", description="White van")
    weak = services.create_report(intel, title="Weak", text="Hearsay",
                                  **{**GRADE, "source_grade": "3", "intelligence_grade": "E"})
    services.create_link(intel, a, b, "associate", report=report)
    services.create_link(intel, b, c, "associate", report=report)
    services.create_link(intel, c, van, "owns", report=report)
    services.create_link(intel, a, flat, "seen_at", start=date(2023, 1, 1),
                         end=date(2024, 1, 1), report=report)
    services.create_link(intel, b, d, "family", report=weak)
    return {"a": a, "b": b, "c": c, "d": d, "flat": flat, "van": van}


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("intelligence:network"), params)


def shown(response):
    return {n["data"]["reference"] for n in
            json.loads(response.context["elements"])["nodes"]}


def test_the_page_shows_every_entity_and_link_with_centrality(client, people, net):
    response = page(client, people["intel"])
    assert response.status_code == 200
    rows = {r["entity"].reference: r for r in response.context["rows"]}
    assert set(rows) == {e.reference for e in net.values()}
    assert rows[net["b"].reference]["degree"] == 3
    # B lies on every path between its two sides: the highest betweenness.
    assert max(rows.values(), key=lambda r: r["betweenness"])["entity"] == net["b"]
    html = response.content.decode()
    assert "Betweenness" in html and "4 Example Court" in html and "2/B/C" in html
    event = AuditEvent.objects.filter(action="intelligence.network.viewed").last()
    assert net["a"].pk in event.detail["entities"]


def test_around_an_entity_to_n_steps(client, people, net):
    one = page(client, people["intel"], around=net["a"].reference, steps=1)
    assert shown(one) == {net["a"].reference, net["b"].reference, net["flat"].reference}
    two = page(client, people["intel"], around=net["a"].reference, steps=2)
    assert net["c"].reference in shown(two) and net["van"].reference not in shown(two)


def test_an_unknown_reference_is_an_error_on_the_form(client, people, net):
    response = page(client, people["intel"], around="P-NOPE")
    assert "No entity with the reference P-NOPE" in response.content.decode()


def test_shortest_path(client, people, net):
    response = page(client, people["intel"], path_from=net["flat"].reference,
                    path_to=net["van"].reference)
    assert [e.reference for e in response.context["path"]] == [
        net[k].reference for k in ("flat", "a", "b", "c", "van")]
    on_path = {n["data"]["reference"] for n in json.loads(response.context["elements"])["nodes"]
               if n["data"]["on_path"]}
    assert on_path == {net[k].reference for k in ("flat", "a", "b", "c", "van")}


def test_as_it_stood_on_a_date_and_filters(client, people, net):
    def links(response):
        return {(k.from_entity.reference, k.kind) for k in response.context["links"]}

    before = page(client, people["intel"], on="2023-06-01")
    after = page(client, people["intel"], on="2024-06-01")
    assert (net["a"].reference, "seen_at") in links(before)
    assert (net["a"].reference, "seen_at") not in links(after)
    owns = page(client, people["intel"], kinds="owns")
    assert links(owns) == {(net["c"].reference, "owns")}
    good = page(client, people["intel"], source_grade="2", intelligence_grade="B")
    assert (net["b"].reference, "family") not in links(good)
    assert (net["a"].reference, "associate") in links(good)


def test_exports_parse_back(client, people, net):
    client.force_login(people["intel"])
    url = lambda fmt: reverse("intelligence:network_export", args=[fmt])  # noqa: E731
    for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        response = client.get(url(fmt), {"kinds": ["associate", "owns"]})
        assert response.status_code == 200
        graph = read(io.BytesIO(response.content))
        assert graph.number_of_nodes() == 6 and graph.number_of_edges() == 3
    response = client.get(url("ftm"))
    lines = response.content.decode().splitlines()
    schemata = []
    for line in lines:
        proxy = model.get_proxy(json.loads(line), cleaned=False)
        proxy.schema.validate(proxy.to_dict())  # raises on an invalid entity
        schemata.append(proxy.schema.name)
    assert schemata.count("Person") == 4 and "Vehicle" in schemata and "Family" in schemata
    assert AuditEvent.objects.filter(action="intelligence.network.exported").count() == 3
    assert client.get(url("pdf")).status_code == 404


def test_a_suspected_group_becomes_an_organised_crime_group(client, people, net):
    from soclocal.intelligence import services
    from soclocal.intelligence.models import Entity, Link

    for x, y, kind in (("a", "c", "associate"), ("b", "flat", "seen_at"),
                       ("c", "flat", "seen_at")):  # a, b, c and the flat: a tight cluster
        services.create_link(people["intel"], net[x], net[y], kind)
    response = page(client, people["intel"])
    groups = response.context["groups"]
    assert groups and all(len(g) >= 3 for g in groups)
    assert "Record as a suspected organised crime group" in response.content.decode()
    members = [e.pk for e in groups[0]]
    response = client.post(reverse("intelligence:network_group"),
                           {"name": "Example Court crew", "member": members})
    members = [e.pk for e in groups[0] if e.kind == "person"]  # only people become members
    assert members
    group = Entity.objects.get(name="Example Court crew")
    assert group.organised_crime_group and response.status_code == 302
    assert set(Link.objects.filter(to_entity=group, kind="member_of")
               .values_list("from_entity", flat=True)) == set(members)
    response = client.post(reverse("intelligence:network_group"), {"name": "", "member": members},
                           follow=True)
    assert "Give the group a name" in response.content.decode()


def test_others_see_nothing(client, people, net):
    for who in ("housing", "youth", "board"):
        assert page(client, people[who]).status_code == 403


def test_the_api_gives_the_same_network_with_the_same_filters(client, people, net):
    client.force_login(people["intel"])
    data = client.get("/api/v1/intelligence/network",
                      {"around": net["a"].reference, "steps": 1}).json()
    assert {n["reference"] for n in data["nodes"]} == {
        net[k].reference for k in ("a", "b", "flat")}
    assert {(e["source"], e["target"]) for e in data["edges"]} == {
        (net["a"].reference, net["b"].reference), (net["a"].reference, net["flat"].reference)}
    assert client.get("/api/v1/intelligence/network", {"on": "not a date"}).status_code == 422
    assert AuditEvent.objects.filter(action="intelligence.network.viewed",
                                     purpose="API").exists()
    client.force_login(people["housing"])
    assert client.get("/api/v1/intelligence/network").status_code == 403


def test_the_demo_network_exports_valid_ftm_and_its_requirements_load(client, db):
    from soclocal.accounts.models import User
    from soclocal.demo import load_people
    from soclocal.intelligence.demo import load_demo_intelligence
    from soclocal.intelligence.demo_requirements import load_demo_requirements
    from soclocal.intelligence.models import Entity, Requirement

    load_people()
    load_demo_intelligence()
    assert load_demo_requirements() is True
    assert load_demo_requirements() is False
    assert Requirement.objects.filter(status="open").count() == 2
    assert Requirement.objects.get(status="answered").answers.count() == 1
    client.force_login(User.objects.get(username="intel"))
    lines = client.get(reverse("intelligence:network_export", args=["ftm"])
                       ).content.decode().splitlines()
    for line in lines:
        proxy = model.get_proxy(json.loads(line), cleaned=False)
        proxy.schema.validate(proxy.to_dict())
    assert len(lines) >= Entity.objects.count()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(
    st.sampled_from(["around", "steps", "path_from", "path_to", "kinds", "source_grade",
                     "intelligence_grade", "on"]),
    st.one_of(st.text(max_size=12), st.sampled_from(["P-000001", "2", "1", "B", "owns",
                                                     "2024-01-01", "2024-13-45", "-1"]))))
def test_any_filter_gives_the_page_or_says_what_is_wrong(client, people, net, params):
    response = page(client, people["intel"], **params)
    assert response.status_code == 200
    form = response.context["form"]
    if form.is_bound and not form.is_valid():  # each mistake is named on its field, and the page still shows
        assert all(name in form.fields for name in form.errors)
        assert "govuk-error-summary" in response.content.decode()
