"""The demo: five synthetic partner files for Nottingham's LSOAs and referrals at every stage."""

from soclocal.safeguarding.models import Indicator, IndicatorValue, NrmReferral
from tests.profiles.conftest import geography  # noqa: F401  (fixture)


def test_the_demo_loads_and_is_safe_to_run_again(geography, client):  # noqa: F811
    from soclocal.accounts.models import User
    from soclocal.areas.models import Area
    from soclocal.demo import load_people
    from soclocal.safeguarding.demo import load_demo_safeguarding

    load_people()
    results = load_demo_safeguarding()
    assert len(results) == 5
    lsoas = Area.objects.filter(type="lsoa21", lad__code="E06000018").count()
    assert IndicatorValue.objects.count() == 5 * 2 * lsoas
    assert Indicator.objects.filter(kind="deprivation").count() == 1
    stages = {r.stage for r in NrmReferral.objects.all()}
    assert {"Waiting for the reasonable-grounds decision",
            "Waiting for the conclusive-grounds decision", "Positive conclusive-grounds decision",
            "Negative reasonable-grounds decision"} <= stages
    counts = sorted(IndicatorValue.objects.values_list("pk", "count"))
    load_demo_safeguarding()
    assert sorted(IndicatorValue.objects.values_list("pk", "count")) == counts
    assert NrmReferral.objects.count() == 7
    from soclocal.safeguarding.models import Place, VulnerableAdult

    assert Place.objects.count() == 6 and VulnerableAdult.objects.count() == 2
    assert {k for k in Indicator.objects.values_list("kind", flat=True)} == {
        "uploaded", "deprivation", "crime", "cases", "intelligence", "deprivation_domain"}
    assert {a.owning_agency.kind for a in VulnerableAdult.objects.all()} == {
        "police", "adult_services"}
    client.force_login(User.objects.get(username="analyst"))
    body = client.get("/api/v1/safeguarding/index?level=ward").json()
    assert body["period"] == "2025" and body["previous_period"] == "2024"
    assert len(body["areas"]) > 10 and all(a["index"] is not None for a in body["areas"])
