"""Places of concern, adults at risk of cuckooing, indicators across cases, services against
vulnerability and the NRM counts download: from outside, through HTTP and the services."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from soclocal.safeguarding import services
from soclocal.safeguarding.models import Place, Sighting, VulnerableAdult


@pytest.fixture
def cases(org, make_user, small_world):
    """A practitioner and a manager in the youth team; three active team cases and one of the
    police's. The first referral named three indicators, one of them recent."""
    from soclocal.cases.models import Case, Referral, YoungPerson

    practitioner = make_user(Role.PRACTITIONER, username="prac")
    colleague = make_user(Role.PRACTITIONER, username="colleague")
    manager = make_user(Role.MANAGER, username="boss")
    now = timezone.now()

    def case(name, agency, worker, indicators=(), received_days_ago=60):
        person = YoungPerson.objects.create(first_name=name, last_name="Example",
                                            date_of_birth=date(2010, 5, 5),
                                            home_area=small_world["A"],
                                            owning_agency=org[agency])
        c = Case.objects.create(young_person=person, owning_agency=org[agency],
                                owning_team=org[f"{agency}_team"], practitioner=worker,
                                status=Case.Status.OPEN)
        Referral.objects.create(case=c, source="school", referrer_name="A teacher",
                                reasons=["criminal_exploitation"], indicators=list(indicators),
                                created_by=worker or practitioner,
                                received_at=now - timedelta(days=received_days_ago))
        return c

    return {
        "practitioner": practitioner, "colleague": colleague, "manager": manager,
        "alex": case("Alex", "youth", practitioner,
                     ["missing_out_of_area", "phones", "associates"], received_days_ago=10),
        "billie": case("Billie", "youth", colleague, ["school"]),
        "casey": case("Casey", "youth", practitioner, ["missing_out_of_area"],
                      received_days_ago=45),
        "dana": case("Dana", "police", None, ["weapons", "phones", "tickets"]),
    }


def test_a_place_is_recorded_and_a_bad_area_keeps_what_was_typed(client, cases):
    client.force_login(cases["practitioner"])
    response = client.post("/vulnerability/places/new/", {
        "name": "Bramble Park", "kind": "park", "area_code": "E01999999",
        "description": "Older men handing out packages"})
    assert response.status_code == 200
    assert "There is no LSOA or data zone with code ‘E01999999’" in response.content.decode()
    assert 'value="Bramble Park"' in response.content.decode()
    assert not Place.objects.exists()
    response = client.post("/vulnerability/places/new/", {
        "name": "Bramble Park", "kind": "park", "area_code": "e01900001",
        "description": "Older men handing out packages"})
    place = Place.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/vulnerability/places/{place.pk}/"
    assert place.area.code == "E01900001" and place.owning_agency == cases["practitioner"].agency
    assert AuditEvent.objects.filter(action="safeguarding.place.recorded").exists()


def test_indicators_seen_and_links_respect_each_records_own_access(client, cases, org,
                                                                   make_user):
    from soclocal.intelligence.models import IntelligenceReport

    place = services.record_place(cases["practitioner"], name="Larch Street takeaway",
                                  kind="shop")
    client.force_login(cases["practitioner"])
    today = timezone.localdate()
    # A future date, and another agency's case, are refused.
    response = client.post(f"/vulnerability/places/{place.pk}/sightings/", {
        "indicator": "phones", "seen_on": (today + timedelta(days=2)).isoformat(),
        "case": cases["alex"].pk})
    assert response.status_code == 400 and "cannot be in the future" in response.content.decode()
    response = client.post(f"/vulnerability/places/{place.pk}/sightings/", {
        "indicator": "phones", "seen_on": today.isoformat(), "case": cases["dana"].pk})
    assert response.status_code == 400 and not Sighting.objects.exists()
    response = client.post(f"/vulnerability/places/{place.pk}/sightings/", {
        "indicator": "phones", "seen_on": today.isoformat(), "case": cases["alex"].pk,
        "note": "Given a new phone"})
    assert response.status_code == 302
    officer = make_user(Role.INTELLIGENCE_OFFICER, agency="police")
    IntelligenceReport.objects.create(
        reference="IR-77", owning_agency=org["police"], title="Deals from the back door",
        text="t", source_type="police", source_grade="B", intelligence_grade="2",
        handling="P", created_by=officer)
    response = client.post(f"/vulnerability/places/{place.pk}/links/", {"report": "IR-77"})
    assert response.status_code == 400
    assert "no intelligence report ‘IR-77’ that you can reach" in response.content.decode()
    assert client.post(f"/vulnerability/places/{place.pk}/links/",
                       {"case": cases["alex"].pk}).status_code == 302
    client.force_login(officer)
    assert client.post(f"/vulnerability/places/{place.pk}/links/",
                       {"report": "ir-77"}).status_code == 302
    # The officer sees the report and what was seen, not the youth service's case.
    page = client.get(f"/vulnerability/places/{place.pk}/")
    body = page.content.decode()
    assert "IR-77: Deals from the back door" in body and "Several phones or SIM cards" in body
    assert "Alex" not in body
    # The practitioner sees the case, not the intelligence.
    client.force_login(cases["practitioner"])
    body = client.get(f"/vulnerability/places/{place.pk}/").content.decode()
    assert "Alex Example" in body and "IR-77" not in body
    assert AuditEvent.objects.filter(action="safeguarding.place.viewed").count() == 2


@pytest.fixture
def adult_services(org):
    from soclocal.accounts import services as accounts
    from soclocal.accounts.models import Agency

    agency = accounts.create_agency(None, name="Test Adult Social Care",
                                    kind=Agency.Kind.ADULT_SERVICES)
    org["adults"] = agency
    org["adults_team"] = accounts.create_team(None, agency=agency, name="Adult Safeguarding")
    return agency


def test_cuckooing_is_for_police_and_adult_social_care_only(client, cases, make_user,
                                                            adult_services):
    police = make_user(Role.PRACTITIONER, agency="police")
    social_worker = make_user(Role.PRACTITIONER, agency="adults")
    home = services.record_place(police, name="Flat 2, 17 Cedar Walk", kind="address")
    client.force_login(police)
    response = client.post("/vulnerability/adults/new/", {
        "first_name": "Keith", "last_name": "", "home": home.pk, "risk": "high"})
    assert response.status_code == 200 and 'value="Keith"' in response.content.decode()
    response = client.post("/vulnerability/adults/new/", {
        "first_name": "Keith", "last_name": "Ambler", "home": home.pk, "risk": "high",
        "vulnerabilities": "Lives alone"})
    assert response.status_code == 302
    adult = VulnerableAdult.objects.get()
    assert [i.agency for i in adult.involvements.all()] == [police.agency]
    client.post(f"/vulnerability/adults/{adult.pk}/agencies/", {
        "agency": adult_services.pk, "role": "Care Act enquiry"})
    # Police and adult social care see the adult and every agency involved; an agency
    # recorded as involved may add others.
    client.force_login(social_worker)
    body = client.get("/vulnerability/adults/").content.decode()
    assert "Keith Ambler" in body and "Care Act enquiry" in body and "Test Police" in body
    assert client.post(f"/vulnerability/adults/{adult.pk}/agencies/", {
        "agency": cases["practitioner"].agency.pk, "role": "Youth worker for the grandson"}
    ).status_code == 302
    assert adult.involvements.count() == 3
    # Anyone else with the role sees nobody and cannot record; the service refuses too.
    youth = cases["practitioner"]
    client.force_login(youth)
    body = client.get("/vulnerability/adults/").content.decode()
    assert "Keith" not in body and "Only police and adult social care" in body
    assert client.post("/vulnerability/adults/new/", {
        "first_name": "Ann", "last_name": "Other", "risk": "low"}).status_code == 200
    assert client.post(f"/vulnerability/adults/{adult.pk}/agencies/", {
        "agency": youth.agency.pk, "role": "x"}).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor_id=youth.pk).exists()
    with pytest.raises(PermissionDenied):
        services.record_adult(youth, first_name="Ann", last_name="Other")
    assert VulnerableAdult.objects.count() == 1
    # Their home, as a place, shows the adult only to police and adult social care.
    assert "Keith" not in client.get(f"/vulnerability/places/{home.pk}/").content.decode()
    client.force_login(police)
    assert "Keith Ambler" in client.get(f"/vulnerability/places/{home.pk}/").content.decode()


def test_indicators_across_the_teams_cases(client, cases):
    today = timezone.localdate()
    park = services.record_place(cases["practitioner"], name="Bramble Park", kind="park")
    shop = services.record_place(cases["practitioner"], name="Larch Street takeaway",
                                 kind="shop")
    services.record_sighting(cases["colleague"], place=park, case=cases["billie"],
                             indicator="missing_out_of_area", seen_on=today - timedelta(days=3))
    services.link_to_place(cases["practitioner"], park, case=cases["alex"])
    services.link_to_place(cases["practitioner"], shop, case=cases["alex"])
    services.link_to_place(None, shop, case=cases["dana"])  # another agency's case
    client.force_login(cases["practitioner"])
    page = client.get("/vulnerability/across-cases/")
    result = page.context["result"]
    assert [p["name"] for p in result["missing"]] == ["Billie Example", "Alex Example"]
    assert [p["name"] for p in result["several"]] == ["Alex Example"]
    assert [(p.name, n) for p, n in result["places"]] == [("Bramble Park", 2)]
    assert "Dana" not in page.content.decode()
    # Casey went missing 45 days ago: not in the last 30 days.
    assert "Casey" not in [p["name"] for p in result["missing"]]
    mine = client.get("/vulnerability/across-cases/?whose=mine").context["result"]
    assert [p["name"] for p in mine["missing"]] == ["Alex Example"] and mine["places"] == []
    event = AuditEvent.objects.filter(action="safeguarding.across_cases.viewed").last()
    assert event.detail["cases"] == sorted([cases["alex"].pk, cases["casey"].pk])
    client.force_login(cases["manager"])
    body = client.get("/vulnerability/across-cases/").content.decode()
    assert 'id="caseload-table"' in body and "Dana" not in body


def test_areas_with_high_vulnerability_and_few_services(client, loaded, analyst, cases,
                                                        make_user):
    from soclocal.cases.models import Case

    Case.objects.update(opened_at=timezone.make_aware(datetime(2025, 1, 10)))
    client.force_login(analyst)
    body = client.get("/api/v1/safeguarding/gaps?period=2025").json()
    areas = {a["code"]: a for a in body["areas"]}
    # All four cases live in A (1,000 people): 4 per 1,000; B and C have none.
    assert areas["E01900001"]["cases"] == 4
    assert areas["E01900001"]["services_per_1000"] == pytest.approx(4.0)
    assert body["median_services_per_1000"] == 0
    # C is the most vulnerable (rank 1, the top fifth) but has no services below the median 0.
    assert areas["E01900003"]["high"] and not areas["E01900003"]["gap"]
    assert body["areas"][0]["code"] == "E01900003"
    # Shared: a count of 4 is hidden with its rate.
    shared = client.get("/api/v1/safeguarding/gaps?period=2025&share=true").json()
    a = next(x for x in shared["areas"] if x["code"] == "E01900001")
    assert a["cases"] is None and a["cases_suppressed"] and a["services_per_1000"] is None
    page = client.get("/vulnerability/gaps/?period=2025&share=1")
    assert page.status_code == 200 and "[c]" in page.content.decode()


def test_the_nrm_counts_download_hides_small_counts(client, make_user, org):
    from soclocal.safeguarding.models import NrmReferral

    for n in range(7):
        NrmReferral.objects.create(
            reference=f"NRM-{n}", first_responder_agency=org["youth"],
            exploitation_type="criminal" if n < 6 else "sexual", age_band="16-17",
            referral_date=date(2025, 3, 3), reasonable_grounds_due=date(2025, 3, 10))
    client.force_login(make_user(Role.ANALYST))
    lines = client.get("/vulnerability/nrm/report.csv").content.decode().splitlines()
    assert lines[0] == "breakdown,group,referrals"
    assert "exploitation type,Sexual,[c]" in lines
    assert "exploitation type,Criminal (including county lines),[c]" in lines
    assert "age band,16 or 17,7" in lines


def test_subject_access_for_an_adult_at_risk_holds_their_record_and_no_one_elses(
        cases, make_user, adult_services):
    from soclocal.core import subject_access as sar

    police = make_user(Role.PRACTITIONER, agency="police")
    keith = services.record_adult(police, first_name="Keith", last_name="Ambler")
    services.record_adult(police, first_name="Ann", last_name="Other")
    data = sar.gather("keith ambler").as_json()
    text = str(data)
    assert "Ambler" in text and "Ann" not in text
    assert ("safeguarding.vulnerableadult", str(keith.pk)) in {
        tuple(r) for p in sar.gather("Keith Ambler").parts for r in p.refs}
