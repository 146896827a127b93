"""The analysts' counts: by ward, month and theme, with no content; suppressed when shared."""

import csv
import io

import pytest
from django.urls import reverse

from soclocal.core.access import Role

from .conftest import GRADE


@pytest.fixture
def counted(people, make_user):
    """Three reports at an address in Small Ward, twelve in Big Ward, one unplaced urgent
    child-at-risk submission."""
    from soclocal.areas.models import Area
    from soclocal.intelligence import services
    from soclocal.intelligence.models import Entity

    square = '{"type": "Polygon", "coordinates": [[[-1.2, 52.9], [-1.1, 52.9], [-1.1, 53.0], [-1.2, 52.9]]]}'
    small = Area.objects.create(type="ward", code="E05000001", name="Small Ward", geometry=square)
    big = Area.objects.create(type="ward", code="E05000002", name="Big Ward", geometry=square)
    intel = people["intel"]
    for ward, n in ((small, 3), (big, 12)):
        address = services.create_entity(intel, "address", address=f"1 {ward.name} Road")
        Entity.objects.filter(pk=address.pk).update(ward=ward)
        for i in range(n):
            report = services.create_report(intel, title=f"Secret {ward.name} {i}",
                                            text="Names and details", **GRADE)
            services.add_to_report(intel, report, address)
    services.submit(people["housing"], what="A secret", where="Somewhere", when="Now",
                    how_known="saw", urgency="urgent", child_at_risk=True)
    return {"small": small, "big": big, "analyst": make_user(Role.ANALYST, username="analyst")}


def test_the_analyst_sees_exact_counts_and_no_content(client, counted):
    client.force_login(counted["analyst"])
    response = client.get(reverse("intelligence:analysis"))
    rows = {(r["ward"].name if r["ward"] else None, r["theme"]): r["cells"]
            for r in response.context["rows"]}
    assert rows[("Small Ward", "Other intelligence")] == [3, 0]
    assert rows[("Big Ward", "Other intelligence")] == [12, 0]
    assert rows[(None, "Child at risk")] == [0, 1]
    html = response.content.decode()
    assert "Secret" not in html and "Road" not in html and "Names and details" not in html


def test_the_sharing_csv_suppresses_small_counts(client, counted):
    client.force_login(counted["analyst"])
    response = client.get(reverse("intelligence:analysis_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_ward = {r["ward"]: r for r in rows}
    assert by_ward["Small Ward"]["reports"] == "[c]" and by_ward["Small Ward"]["total"] == "[c]"
    assert by_ward["Not placed"]["submissions"] == "[c]"
    assert by_ward["Big Ward"]["reports"] == "12"
    # The grand total with two hidden parts must not give either away.
    assert by_ward["All"]["total"] == "[c]" or by_ward["All"]["reports"] == "[c]"
    sharing = client.get(reverse("intelligence:analysis"), {"version": "sharing"})
    assert "[c]" in sharing.content.decode()


def test_the_map_layer_gives_each_ward_its_total(client, counted):
    client.force_login(counted["analyst"])
    data = client.get(reverse("intelligence:analysis_geojson")).json()
    counts = {f["properties"]["name"]: f["properties"]["count"] for f in data["features"]}
    assert counts == {"Small Ward": 3, "Big Ward": 12}


def test_practitioners_and_the_board_see_no_counts(client, counted, people):
    for who in ("housing", "board", "youth_manager"):
        client.force_login(people[who])
        assert client.get(reverse("intelligence:analysis_csv")).status_code == 403
