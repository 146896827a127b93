"""The map of the partnership's agencies and the links between them over time."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from soclocal.accounts.models import Agency
from soclocal.cases import services as cases_services
from soclocal.cases.models import Case
from soclocal.core.models import AuditEvent, Share
from soclocal.partnership import selectors
from tests.cases.conftest import person_data, referral_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def shares(people, org, sharing_agreement):
    """Six cases of the youth service shared with the police (five last year, ended, and one
    now), and one case the housing association shares with the police."""
    housing = Agency.objects.create(partnership=org["police"].partnership, name="Housing",
                                    kind="housing")
    now = timezone.now()
    made = []
    for n in range(6):
        referral = cases_services.record_referral(
            people["practitioner"], person=person_data(first_name=f"Person{n}"),
            **referral_data())
        share = cases_services.share_case(people["practitioner"], referral.case,
                                          agency=org["police"], purpose="Joint work",
                                          agreement=sharing_agreement)
        made.append(share)
    old = now - timedelta(days=400)
    Share.objects.filter(pk__in=[s.pk for s in made[:5]]).update(
        created_at=old, revoked_at=old + timedelta(days=30))
    # A share made outside any service, as a record from another system would be.
    case = Case.objects.first()
    Share.objects.create(content_type=ContentType.objects.get_for_model(Case),
                         object_id=case.pk, agency=housing, purpose="x",
                         created_by=people["practitioner"], agreement=sharing_agreement)
    return {"housing": housing, "old": old.date()}


def test_links_between_agencies_with_small_counts_hidden_and_a_period_filter(people, org,
                                                                             shares):
    everything = selectors.agency_network()
    rows = {(r["from"].name, r["to"].name, r["kind"]): r["count"] for r in everything["rows"]}
    assert rows[("Test Police", "Test Youth Service", "case share")] == 6
    assert rows[("Housing", "Test Youth Service", "case share")] == "[c]"
    this_year = selectors.agency_network(date_from=timezone.localdate() - timedelta(days=60))
    rows = {(r["from"].name, r["to"].name, r["kind"]): r["count"] for r in this_year["rows"]}
    assert rows[("Test Police", "Test Youth Service", "case share")] == "[c]"
    back_then = selectors.agency_network(date_from=shares["old"],
                                         date_to=shares["old"] + timedelta(days=10))
    rows = {(r["from"].name, r["to"].name, r["kind"]): r["count"] for r in back_then["rows"]}
    assert rows == {("Test Police", "Test Youth Service", "case share"): 5}
    assert selectors.agency_network(kinds=["plan action"])["rows"] == []


def test_the_network_page_has_the_graph_and_the_tables(people, shares, client):
    client.force_login(people["board"])
    page = client.get("/partnership/network/").content.decode()
    assert "data-network-graph" in page and "data-links-table" in page
    assert "Case share" in page and "Person0" not in page
    bad = client.get("/partnership/network/", {"date_from": "2026-02-01",
                                               "date_to": "2026-01-01"}).content.decode()
    assert "The end of the period must be after its start" in bad
    assert AuditEvent.objects.filter(action="partnership.network.viewed").count() == 2
    client.force_login(people["practitioner"])
    assert client.get("/partnership/network/").status_code == 403
