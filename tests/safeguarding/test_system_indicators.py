"""The system's own figures as indicators: crime from the crime store, open cases,
intelligence reports and deprivation domains, against hand-worked figures (decision 0042)."""

import math
from datetime import date, datetime

import pytest
from django.utils import timezone

from soclocal.core.access import Role
from soclocal.safeguarding import services
from soclocal.safeguarding.models import Indicator
from tests.profiles.conftest import write_store

K = math.sqrt(1.5)  # the z-score of the high area when three areas sit at x - d, x, x + d


def _at(y, m, d):
    return timezone.make_aware(datetime(y, m, d, 10))


@pytest.fixture
def people_in_areas(small_world, org):
    """Cases open in 2025: two young people living in A, one in C; B has a case closed in
    2024 (not open in 2025) and one opened in 2026 (not yet open)."""
    from soclocal.cases.models import Case, YoungPerson

    def case(area, opened, closed=None, status=Case.Status.OPEN):
        person = YoungPerson.objects.create(first_name="Sam", last_name=f"Test {area.code}",
                                            date_of_birth=date(2010, 1, 1), home_area=area,
                                            owning_agency=org["youth"])
        return Case.objects.create(young_person=person, owning_agency=org["youth"],
                                   owning_team=org["youth_team"], status=status,
                                   opened_at=opened, closed_at=closed)

    case(small_world["A"], _at(2025, 2, 1))
    case(small_world["A"], _at(2024, 6, 1), _at(2025, 3, 1), Case.Status.CLOSED)
    case(small_world["C"], _at(2025, 11, 30))
    case(small_world["B"], _at(2024, 1, 1), _at(2024, 12, 1), Case.Status.CLOSED)
    case(small_world["B"], _at(2026, 1, 5))
    return small_world


def _define(code, kind, weight=1.0, detail=""):
    return services.save_indicator(None, code=code, name=code.replace("_", " "), kind=kind,
                                   detail=detail, weight=weight)


def _api(client, user, **params):
    client.force_login(user)
    query = "&".join(f"{k}={v}" for k, v in {"period": "2025", **params}.items())
    body = client.get(f"/api/v1/safeguarding/index?{query}").json()
    return {a["code"]: a for a in body["areas"]}


def _cell(area, code):
    return next(c for c in area["contributions"] if c["indicator"] == code)


def test_open_cases_enter_the_hand_worked_index(client, loaded, analyst, people_in_areas):
    # Open cases in 2025 per 1,000: A 2 / 1,000 = 2, B 0 / 2,000 = 0, C 1 / 1,000 = 1, so
    # z = k, -k, 0. With crisis grants (weight 2: z -k, 0, k) and exclusions (0.5: k, -k, 0):
    # A = (-2k + 0.5k + k) / 3.5 = -k/7; B = (-0.5k - k) / 3.5 = -3k/7; C = 2k / 3.5 = 4k/7.
    _define("open_cases", Indicator.Kind.CASES)
    areas = _api(client, analyst)
    cells = {code: _cell(a, "open_cases") for code, a in areas.items()}
    assert [cells[c]["count"] for c in ("E01900001", "E01900002", "E01900003")] == [2, 0, 1]
    assert cells["E01900001"]["value"] == pytest.approx(2.0)
    assert cells["E01900001"]["z"] == pytest.approx(K)
    assert areas["E01900001"]["index"] == pytest.approx(-K / 7)
    assert areas["E01900002"]["index"] == pytest.approx(-3 * K / 7)
    assert areas["E01900003"]["index"] == pytest.approx(4 * K / 7)
    assert [areas[c]["rank"] for c in ("E01900003", "E01900001", "E01900002")] == [1, 2, 3]


def test_a_weight_of_zero_leaves_a_system_indicator_out(client, loaded, analyst,
                                                        people_in_areas):
    _define("open_cases", Indicator.Kind.CASES, weight=0)
    areas = _api(client, analyst)
    assert all("open_cases" not in [c["indicator"] for c in a["contributions"]]
               for a in areas.values())


def test_intelligence_reports_are_counted_by_the_address_they_name(client, loaded, analyst,
                                                                    small_world, org):
    from soclocal.intelligence.models import Entity, IntelligenceReport

    def report(n, lsoa, year):
        r = IntelligenceReport.objects.create(
            reference=f"IR-T-{n}", owning_agency=org["police"], title="t", text="t",
            source_type="police", source_grade="B", intelligence_grade="2", handling="P",
            created_by=analyst)
        IntelligenceReport.objects.filter(pk=r.pk).update(created_at=_at(year, 5, 1))
        address = Entity.objects.create(reference=f"A-T-{n}", kind="address",
                                        owning_agency=org["police"], address="1 Test Street",
                                        lsoa=lsoa)
        address.reports.add(r)
        return r

    for n, (area, year) in enumerate([("B", 2025), ("B", 2025), ("B", 2025), ("C", 2024)]):
        report(n, small_world[area], year)
    Indicator.objects.filter(code__in=["crisis_grants", "exclusions"]).update(weight=0)
    _define("intel_reports", Indicator.Kind.INTELLIGENCE)
    areas = _api(client, analyst)
    # Per 1,000 in 2025: A 0, B 3 / 2,000 x 1,000 = 1.5, C 0 (its report is from 2024).
    assert [_cell(areas[c], "intel_reports")["count"] for c in sorted(areas)] == [0, 3, 0]
    assert _cell(areas["E01900002"], "intel_reports")["value"] == pytest.approx(1.5)
    # mean 0.5, sd sqrt(0.5): z = -1/sqrt(2), 2/sqrt(2), -1/sqrt(2)
    assert areas["E01900002"]["index"] == pytest.approx(2 / math.sqrt(2))
    assert areas["E01900001"]["index"] == pytest.approx(-1 / math.sqrt(2))


def test_crime_comes_from_the_crime_store_per_1000_residents(client, loaded, analyst,
                                                             small_world, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "store"
    header = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
              "LSOA name,Crime type,Last outcome category,Context\n")

    def line(month, lsoa, kind):
        return f"x,{month},P,P,-1.1,52.9,On or near Somewhere,{lsoa},Somewhere,{kind},,\n"

    may = tmp_path / "2025-05-test-street.csv"
    may.write_text(header + line("2025-05", "E01900001", "Drugs") * 2
                   + line("2025-05", "E01900001", "Burglary")
                   + line("2025-05", "E01900002", "Drugs") * 2
                   + line("2025-05", "E01999999", "Drugs"))
    earlier = tmp_path / "2024-05-test-street.csv"
    earlier.write_text(header + line("2024-05", "E01900003", "Drugs") * 9)
    write_store(settings.DATA_DIR, [may, earlier])
    Indicator.objects.filter(code__in=["crisis_grants", "exclusions"]).update(weight=0)
    _define("crime", Indicator.Kind.CRIME)
    areas = _api(client, analyst)
    # 2025 per 1,000: A 3 / 1,000 = 3, B 2 / 2,000 = 1, C 0. Mean 4/3; sd sqrt(14)/3.
    assert [_cell(areas[c], "crime")["count"] for c in sorted(areas)] == [3, 2, 0]
    assert areas["E01900001"]["index"] == pytest.approx(5 / math.sqrt(14))
    assert areas["E01900003"]["index"] == pytest.approx(-4 / math.sqrt(14))
    # One crime type only.
    Indicator.objects.filter(code="crime").update(detail="Drugs")
    areas = _api(client, analyst)
    assert [_cell(areas[c], "crime")["count"] for c in sorted(areas)] == [2, 2, 0]


def test_crime_has_no_figure_for_a_period_the_store_does_not_hold(client, loaded, analyst,
                                                                  settings, tmp_path):
    settings.DATA_DIR = tmp_path
    _define("crime", Indicator.Kind.CRIME)
    areas = _api(client, analyst)
    assert all("crime" not in [c["indicator"] for c in a["contributions"]]
               for a in areas.values())
    # The other indicators still give the hand-worked index.
    assert areas["E01900003"]["index"] == pytest.approx(2 * K / 2.5)


def test_a_deprivation_domain_is_its_loaded_score(client, loaded, analyst, small_world):
    from soclocal.areas.models import Deprivation

    for key, score in (("A", 10.0), ("B", 20.0), ("C", 30.0)):
        Deprivation.objects.create(area=small_world[key], index="imd2025", decile=5, rank=100,
                                   score=50.0, domains={"income": {"score": score}})
    Indicator.objects.filter(code__in=["crisis_grants", "exclusions"]).update(weight=0)
    _define("income", Indicator.Kind.DEPRIVATION_DOMAIN, detail="income")
    areas = _api(client, analyst)
    assert _cell(areas["E01900002"], "income")["value"] == 20.0
    assert areas["E01900003"]["index"] == pytest.approx(K)
    ward = _api(client, analyst, level="ward")
    # Ward One: population-weighted (10 x 1,000 + 20 x 2,000) / 3,000.
    assert _cell(ward["E05900001"], "income")["value"] == pytest.approx(50 / 3)


def test_system_counts_are_hidden_when_shared(client, loaded, make_user, people_in_areas):
    _define("open_cases", Indicator.Kind.CASES)
    practitioner = make_user(Role.PRACTITIONER)
    areas = _api(client, practitioner)
    # 2 in A and 1 in C are hidden (with the rate, z and the areas' index); B's 0 is not.
    for code in ("E01900001", "E01900003"):
        cell = _cell(areas[code], "open_cases")
        assert cell["suppressed"] and cell["count"] is None and cell["value"] is None
        assert areas[code]["index"] is None and areas[code]["change"] is None
    assert _cell(areas["E01900002"], "open_cases")["count"] == 0
    client.force_login(practitioner)
    csv = client.get("/vulnerability/index.csv?period=2025").content.decode()
    assert "[c]" in csv and ",2," not in csv.splitlines()[1]


def test_defining_a_system_indicator_checks_its_detail(loaded):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as e:
        _define("knives", Indicator.Kind.CRIME, detail="Knife crime")
    assert "not a police.uk crime type" in str(e.value)
    with pytest.raises(ValidationError) as e:
        _define("dep", Indicator.Kind.DEPRIVATION_DOMAIN, detail="wealth")
    assert "Name a deprivation domain" in str(e.value)
    with pytest.raises(ValidationError):  # figures were uploaded for it
        services.save_indicator(None, Indicator.objects.get(code="crisis_grants"),
                                kind=Indicator.Kind.CASES)


def test_a_system_indicator_cannot_be_uploaded(client, loaded, analyst):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _define("open_cases", Indicator.Kind.CASES)
    client.force_login(analyst)
    response = client.post("/vulnerability/upload/", {"file": SimpleUploadedFile(
        "cases.csv", b"area_code,period,indicator,count\nE01900001,2025,open_cases,4\n",
        "text/csv")})
    assert [str(p) for p in response.context["problems"]] == [
        "cases.csv, line 2, field indicator: indicator 'open_cases' is worked out from the "
        "system's own records; it cannot be uploaded"]


def test_a_period_with_no_records_gives_no_figure_rather_than_zeros(client, loaded, analyst):
    _define("open_cases", Indicator.Kind.CASES)
    areas = _api(client, analyst)
    assert all("open_cases" not in [c["indicator"] for c in a["contributions"]]
               for a in areas.values())
    assert areas["E01900003"]["index"] == pytest.approx(2 * K / 2.5)
