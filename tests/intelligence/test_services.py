"""Submissions, reports, sanitised release, the source register and entities, from outside."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from soclocal.core.models import AuditEvent
from soclocal.intelligence import selectors, services
from soclocal.intelligence.models import Entity, Submission
from soclocal.intelligence.work import intelligence_work

from .conftest import GRADE

pytestmark = pytest.mark.django_db


def share(user, **extra):
    data = dict(what="Older boys wait at the gate", where="Riverside Academy", when="Friday 3pm",
                how_known="saw")
    return services.submit(user, **{**data, **extra})


def test_a_submission_goes_to_the_force_and_its_maker_sees_only_its_status(people, org, client):
    s = share(people["housing"])
    assert s.to_agency == org["police"] and s.reference.startswith("S-")
    assert list(selectors.my_submissions(people["housing"])) == [s]
    assert list(selectors.submissions_to_assess(people["intel"])) == [s]
    report = services.create_report(people["intel"], submission=s, title="Gate", text="X",
                                     outcome="develop", outcome_reasons="Corroborate", **GRADE)
    s.refresh_from_db()
    assert s.status == Submission.Status.ASSESSED
    client.force_login(people["housing"])
    page = client.get(reverse("intelligence:submission", args=[s.pk])).content.decode()
    assert "Assessed" in page and "Develop" not in page and report.reference not in page
    assert "2/B/C" not in page
    # Another practitioner cannot open it.
    client.force_login(people["youth"])
    assert client.get(reverse("intelligence:submission", args=[s.pk])).status_code == 404


def test_a_submission_needs_what_where_when_and_how(people):
    with pytest.raises(ValidationError) as e:
        services.submit(people["housing"], what=" ", where="", when="", how_known="guess")
    assert set(e.value.message_dict) == {"what", "where", "when", "how_known"}


def test_urgent_safeguarding_is_flagged_to_officers_and_the_submitters_manager(people):
    routine = share(people["housing"])
    urgent = share(people["housing"], urgency="urgent", child_at_risk=True)
    officer_items = list(intelligence_work(people["intel"]))
    assert [i.urgent for i in officer_items if str(urgent.pk) in i.url] == [True]
    assert [i.urgent for i in officer_items if i.url.endswith(f"/{routine.pk}/")] == [False]
    manager_items = list(intelligence_work(people["housing_manager"]))
    assert [(i.heading, i.urgent) for i in manager_items] == [("Urgent safeguarding concern",
                                                                True)]
    assert list(intelligence_work(people["youth_manager"])) == []  # not their team
    assert AuditEvent.objects.filter(action="intelligence.submission.routed_urgently",
                                     object_id=str(urgent.pk)).exists()


def test_reports_past_review_are_on_the_officers_queue(people, report):
    services.update_report(people["intel"], report, review_on=date.today() - timedelta(days=1))
    items = [i for i in intelligence_work(people["intel2"]) if "review" in i.heading]
    assert len(items) == 1 and items[0].overdue


def test_outcome_needs_reasons_and_regrading_is_audited(people, report):
    with pytest.raises(ValidationError) as e:
        services.update_report(people["intel"], report, outcome="file")
    assert "outcome_reasons" in e.value.message_dict
    services.update_report(people["intel"], report, intelligence_grade="A", handling="P",
                           handling_conditions="", outcome="file", outcome_reasons="Kept")
    event = AuditEvent.objects.filter(action="intelligence.report.updated").last()
    assert event.detail["before"]["grade"] == "2/B/C" and event.detail["after"]["grade"] == "2/A/P"


def test_only_intelligence_officers_record_reports(people):
    for who in ("housing", "youth_manager", "board"):
        with pytest.raises(PermissionDenied):
            services.create_report(people[who], title="T", text="X", **GRADE)


def test_sanitised_release_needs_a_second_officer_and_shows_only_sanitised_text(
        people, org, report, client, sharing_agreement):
    version = services.sanitise(people["intel"], report,
                                text="Cars call at the flat at night")
    assert version.grade == "2/B/C" and version.handling_conditions == GRADE["handling_conditions"]
    with pytest.raises(ValidationError):
        services.release(people["intel"], version, agency=org["housing"], purpose="Tenancy",
                         agreement=sharing_agreement)
    with pytest.raises(ValidationError):
        services.approve_sanitised(people["intel"], version)  # its own author
    services.approve_sanitised(people["intel2"], version)
    with pytest.raises(ValidationError) as e:
        services.release(people["intel"], version, agency=org["housing"], purpose=" ",
                         agreement=sharing_agreement)
    assert "purpose" in e.value.message_dict
    shared = services.release(people["intel"], version, agency=org["housing"],
                              purpose="Tenancy enforcement", agreement=sharing_agreement)
    url = reverse("intelligence:received", args=[version.pk])

    client.force_login(people["housing"])
    page = client.get(url).content.decode()
    assert "Cars call at the flat at night" in page and GRADE["handling_conditions"] in page
    assert "Mrs Example" not in page and "2/B/C" in page
    assert AuditEvent.objects.filter(action="intelligence.sanitised.read",
                                     actor_id=people["housing"].pk).exists()
    assert client.get(reverse("intelligence:report", args=[report.pk])).status_code == 403
    api = client.get(f"/api/v1/intelligence/received/{version.pk}").json()
    assert api["text"] == "Cars call at the flat at night" and "Mrs Example" not in str(api)

    client.force_login(people["youth"])  # an agency without a release
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/intelligence/received/{version.pk}").status_code == 404

    services.withdraw_release(people["intel2"], shared, reason="Operation under way")
    client.force_login(people["housing"])
    assert client.get(url).status_code == 404
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"intelligence.sanitised.created", "intelligence.sanitised.approved",
            "intelligence.release.made", "intelligence.release.withdrawn"} <= actions


def test_sanitised_text_that_names_the_source_is_refused(people, report):
    source = services.create_source(people["intel"], identity="Mrs Example")
    services.update_report(people["intel"], report, source=source)
    with pytest.raises(ValidationError):
        services.sanitise(people["intel"], report, text="mrs example says cars call")


def test_the_source_register_opens_only_to_its_handlers(people, report, client):
    source = services.create_source(people["intel"], identity="Mrs Example", contact="07700")
    assert list(selectors.sources_for(people["intel"])) == [source]
    assert list(selectors.sources_for(people["intel2"])) == []
    client.force_login(people["intel2"])
    assert client.get(reverse("intelligence:source", args=[source.pk])).status_code == 404
    services.update_report(people["intel"], report, source=source)
    page = client.get(reverse("intelligence:report", args=[report.pk])).content.decode()
    assert "Mrs Example" not in page.split("data-original")[0] and source.reference not in page
    client.force_login(people["intel"])
    page = client.get(reverse("intelligence:report", args=[report.pk])).content.decode()
    assert source.reference in page
    with pytest.raises(ValidationError):  # a handler must be a force intelligence officer
        services.create_source(people["intel"], identity="X", handlers=[people["housing"]])
    with pytest.raises(ValidationError):  # a source you do not handle cannot be linked
        services.update_report(people["intel2"], report, source=source)


def test_entities_and_links_carry_references_places_and_reports(people, report):
    from soclocal.areas.models import Area, AreaType

    ward = Area.objects.create(type=AreaType.WARD, code="E05000001", name="Test Ward")
    Area.objects.create(type=AreaType.LSOA21, code="E01000001", name="Test 001A", ward=ward,
                        geometry='{"type":"Polygon","coordinates":[[[-1.2,52.9],[-1.1,52.9],'
                                 '[-1.1,53.0],[-1.2,53.0],[-1.2,52.9]]]}')
    officer = people["intel"]
    a = services.create_person(officer, forenames="Alex", surname="Example",
                               date_of_birth=date(2000, 1, 2), postcode="ng1 1aa",
                               source="test", report=report)
    b = services.create_person(officer, reference="P-000777", surname="Sample")
    c = services.create_person(officer, surname="Third")
    home = services.create_entity(officer, "address", address="1 Test Street",
                                  latitude=52.95, longitude=-1.15)
    assert a.reference == "P-000001" and b.reference == "P-000777" and c.reference == "P-000778"
    assert a.postcode == "NG1 1AA" and home.lsoa.code == "E01000001" and home.ward == ward
    assert home.reference.startswith("A-")
    link = services.create_link(officer, a, home, "occupies", start=date(2024, 1, 1),
                                source="test", report=report)
    assert list(link.reports.all()) == [report] and report in home.reports.all()
    with pytest.raises(ValidationError):
        services.create_link(officer, a, a, "associate")
    with pytest.raises(ValidationError):
        services.create_link(officer, a, b, "associate", start=date(2024, 2, 1),
                             end=date(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.create_link(officer, a, b, "friend")
    with pytest.raises(ValidationError):
        services.create_person(officer, reference="P-000777", surname="Again")
    with pytest.raises(PermissionDenied):
        services.create_person(people["housing"], surname="Nope")
    with pytest.raises(ValidationError):  # the system itself must say who owns it
        services.create_person(None, surname="Imported")
    imported = services.create_person(None, surname="Imported", owning_agency=a.owning_agency)
    assert imported.reference == "P-000779" and imported.created_by is None
    imported.delete()
    assert list(selectors.search_entities(officer, "example")) == [a]
    assert list(selectors.entities_for(people["youth_manager"])) == []
    assert Entity.objects.count() == 4
    assert AuditEvent.objects.filter(action="intelligence.link.created").count() == 1


def test_many_addresses_are_placed_at_once(people):
    from soclocal.areas.models import Area, AreaType

    ward = Area.objects.create(type=AreaType.WARD, code="E05000002", name="West Ward")
    for code, x in (("E01000010", -1.2), ("E01000011", -1.1)):
        ring = [[x, 52.9], [x + 0.1, 52.9], [x + 0.1, 53.0], [x, 53.0], [x, 52.9]]
        Area.objects.create(type=AreaType.LSOA21, code=code, name=code, ward=ward,
                            geometry=json.dumps({"type": "Polygon", "coordinates": [ring]}))
    officer = people["intel"]
    made = [services.create_entity(officer, "address", address=f"{n} Street", latitude=lat,
                                   longitude=lon, place=False)
            for n, (lat, lon) in enumerate([(52.95, -1.15), (52.95, -1.05), (51.5, -0.1)])]
    assert all(e.lsoa is None for e in made)
    assert services.place_entities(officer, made) == 2
    assert [e.lsoa.code if e.lsoa else None for e in Entity.objects.order_by("pk")] == [
        "E01000010", "E01000011", None]
    assert Entity.objects.filter(ward=ward).count() == 2
