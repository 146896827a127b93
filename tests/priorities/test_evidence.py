"""The evidence a threat rests on besides the profile, and the loop's links out of a priority:
linked intelligence and cases, a suspected group raised as a threat in one step, and an
intelligence requirement raised from a priority's gaps."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from soclocal.core.access import Role
from soclocal.core.models import AuditEvent, Origin
from soclocal.priorities import scoring, services
from soclocal.priorities.models import Threat, ThreatLink
from soclocal.responses import services as responses
from tests.cases.conftest import person_data, referral_data

SCORES = dict.fromkeys(scoring.KEYS, 3)
GRADE = {"source_type": "partner", "source_grade": "2", "intelligence_grade": "B",
         "handling": "C", "handling_conditions": "Police only"}


def report(intel, title):
    from soclocal.intelligence import services as intelligence

    return intelligence.create_report(intel, title=title, text="Synthetic test report",
                                      **GRADE)


def test_linked_intelligence_and_cases_are_counted_and_intelligence_kept_to_the_police(
        client, people, partners):
    from soclocal.cases import services as cases

    p = people
    threat = services.raise_threat(p["police_analyst"], kind=Threat.Kind.PLACE,
                                   title="Drug market by the flats")
    services.assess(p["police_analyst"], threat, SCORES)
    ir = report(p["intel"], "Callers at flat 4")

    # An intelligence officer links a report by its reference; a wrong one is refused plainly.
    client.force_login(p["intel"])
    url = reverse("priorities:link", args=[threat.pk])
    response = client.post(url, {"kind": "intelligence", "reference": "IR-NOPE"})
    assert response.status_code == 200
    assert "No intelligence report “IR-NOPE”" in response.content.decode()
    assert client.post(url, {"kind": "intelligence", "reference": ir.reference}).status_code == 302
    response = client.post(url, {"kind": "intelligence", "reference": ir.reference})
    assert "already linked" in response.content.decode()
    assert AuditEvent.objects.filter(action="threat.evidence_linked").count() == 1
    # An analyst at the council may not link intelligence they cannot open.
    client.force_login(p["council_analyst"])
    response = client.post(url, {"kind": "intelligence", "reference": ir.reference})
    assert response.status_code == 200 and ThreatLink.objects.count() == 1

    # A case comes through the loop: a plan's Divert action raised a referral.
    plan = responses.create_plan(p["admin"], threat, title="Close the market", framework="4ds",
                                 objectives="Fewer young people drawn in")
    divert = responses.add_action(p["admin"], plan, strand="divert", title="Youth offer",
                                  owning_agency=partners["youth"],
                                  due_date=timezone.localdate() + timedelta(days=20))
    cases.record_referral(p["youth_practitioner"], person=person_data(), raised_from=divert,
                          **referral_data())

    client.force_login(p["intel"])
    page = client.get(threat.get_absolute_url()).content.decode()
    assert "Linked intelligence" in page and "1 report" in page and ir.reference in page
    assert 'data-linked-cases>1<' in page
    row = client.get("/api/v1/priorities/threats").json()[0]
    assert row["linked"] == {"cases": 1, "intelligence": 1}
    csv = client.get(reverse("priorities:csv")).content.decode().splitlines()
    header = csv[0].split(",")
    values = dict(zip(header, csv[1].split(","), strict=False))
    assert values["linked_cases"] == "1" and values["linked_intelligence"] == "1"

    # Outside the police, the count of linked cases only, and no intelligence count.
    client.force_login(p["council_analyst"])
    page = client.get(threat.get_absolute_url()).content.decode()
    assert "Linked intelligence" not in page and ir.reference not in page
    assert 'data-linked-cases>1<' in page
    assert client.get("/api/v1/priorities/threats").json()[0]["linked"] == {
        "cases": 1, "intelligence": None}
    # In the sharing version a count of cases from 1 to 4 is hidden.
    client.force_login(p["board"])
    assert client.get("/api/v1/priorities/threats").json()[0]["linked"] == {
        "cases": "[c]", "intelligence": None}


def test_a_case_can_be_linked_explicitly_by_someone_who_can_open_it(client, people, partners,
                                                                   make_user):
    from soclocal.cases import services as cases

    referral = cases.record_referral(people["youth_practitioner"], person=person_data(),
                                     **referral_data())
    threat = services.raise_threat(people["police_analyst"], kind=Threat.Kind.PLACE,
                                   title="Exploitation around the park")
    # A youth service manager who is also an analyst for the partnership.
    both = make_user(Role.ANALYST, Role.MANAGER, agency="youth")
    client.force_login(both)
    url = reverse("priorities:link", args=[threat.pk])
    response = client.post(url, {"kind": "case", "reference": str(referral.case_id)})
    assert response.status_code == 302, response.content.decode()[:2000]
    # The police analyst cannot open the case, so cannot link it.
    client.force_login(people["police_analyst"])
    assert "No case number" in client.post(url, {"kind": "case",
                                                 "reference": str(referral.case_id)}
                                           ).content.decode()
    page = client.get(threat.get_absolute_url()).content.decode()
    assert 'data-linked-cases>1<' in page and "Rowan" not in page


def group_network(intel):
    """Three people linked to each other and to a flat, and two reports that mention them."""
    from soclocal.intelligence import services as intelligence

    first, second = report(intel, "Flat 4 callers"), report(intel, "Park meetings")
    person = lambda name: intelligence.create_person(intel, forenames=name,  # noqa: E731
                                                     surname="Example")
    a, b, c = person("Ann"), person("Ben"), person("Cal")
    flat = intelligence.create_entity(intel, "address", address="4 Example Court",
                                      postcode="NG1 1AA")
    for x, y, kind, r in ((a, b, "associate", first), (b, c, "associate", first),
                          (a, c, "associate", second), (a, flat, "seen_at", first),
                          (b, flat, "seen_at", second), (c, flat, "seen_at", second)):
        intelligence.create_link(intel, x, y, kind, report=r)
    for e, r in ((a, first), (b, first), (c, second)):
        intelligence.add_to_report(intel, r, e)
    return [a, b, c, flat], [first, second]


def test_a_suspected_group_is_raised_as_a_police_only_threat_in_one_step(client, people):
    from soclocal.intelligence.models import Entity

    intel = people["intel"]
    members, reports = group_network(intel)
    client.force_login(intel)
    page = client.get(reverse("intelligence:network"))
    groups = page.context["groups"]
    assert groups and "Raise a threat from this group" in page.content.decode()
    response = client.post(reverse("priorities:threat_from_group"),
                           {"name": "Example Court crew", "member": [e.pk for e in groups[0]]})
    assert response.status_code == 302, response.content.decode()[:2000]
    threat = Threat.objects.get()
    assert threat.kind == Threat.Kind.GROUP and threat.police_only
    assert threat.evidence_snapshot["group"]["members"] == 3
    assert threat.evidence_snapshot["group"]["reports"] == 2
    group = Entity.objects.get(name="Example Court crew")
    assert group.organised_crime_group
    assert set(ThreatLink.objects.values_list("reference", flat=True)) == {
        r.reference for r in reports}
    link = Origin.objects.get(target_id=str(threat.pk), target_type__model="threat")
    assert link.source_id == str(group.pk)
    page = client.get(response["Location"]).content.decode()
    assert "3 members" in page and "2 intelligence reports" in page and "Raised from" in page

    # Nobody outside the police sees it, a board member least of all.
    for name in ("board", "council_analyst", "admin"):
        client.force_login(people[name])
        assert "Example Court crew" not in client.get(reverse("priorities:list")).content.decode()
        assert client.get(threat.get_absolute_url()).status_code in (403, 404)
    # A name is needed; nothing is recorded without it.
    client.force_login(intel)
    response = client.post(reverse("priorities:threat_from_group"),
                           {"name": "", "member": [e.pk for e in members]}, follow=True)
    assert "Give the group a name" in response.content.decode()
    assert Threat.objects.count() == 1
    # The police analyst, who cannot work the network, cannot raise from it.
    client.force_login(people["police_analyst"])
    response = client.post(reverse("priorities:threat_from_group"),
                           {"name": "Another", "member": [e.pk for e in members]})
    assert response.status_code in (302, 403) and Threat.objects.count() == 1


def test_an_intelligence_requirement_is_raised_from_a_priority(client, people, partners):
    from soclocal.intelligence.models import Requirement

    threat = services.raise_threat(people["police_analyst"], kind=Threat.Kind.PLACE,
                                   title="Drug market by the flats")
    client.force_login(people["intel"])
    page = client.get(threat.get_absolute_url()).content.decode()
    start = f"{reverse('intelligence:requirement_new')}?from_threat={threat.pk}"
    assert start.replace("&", "&amp;") in page or start in page
    form = client.get(start)
    assert form.context["form"].initial["priority"] == "Drug market by the flats"
    assert "Raised from the priority" in form.content.decode()
    due = timezone.localdate() + timedelta(days=14)
    response = client.post(start, {"question": "Who is living at flat 4?",
                                   "priority": "Drug market by the flats",
                                   "tasked_agency": partners["housing"].pk,
                                   "due_on": due.isoformat()})
    assert response.status_code == 302, response.content.decode()[:2000]
    requirement = Requirement.objects.get()
    assert Origin.objects.filter(source_id=str(threat.pk), target_type__model="requirement",
                                 target_id=str(requirement.pk)).exists()
    # Shown on both records.
    assert "Drug market by the flats" in client.get(response["Location"]).content.decode()
    assert requirement.reference in client.get(threat.get_absolute_url()).content.decode()
    # Only an intelligence officer is offered it; a priority one cannot reach is not found.
    client.force_login(people["police_analyst"])
    assert "from_threat" not in client.get(threat.get_absolute_url()).content.decode()
    client.force_login(people["intel"])
    assert client.get(f"{reverse('intelligence:requirement_new')}?from_threat=x"
                      ).status_code == 404
