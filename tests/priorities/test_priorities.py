"""Raising, assessing, ranking and deciding, through the services, pages and API."""

from datetime import timedelta
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from soclocal.core import work
from soclocal.core.models import AuditEvent
from soclocal.priorities import scoring, selectors, services
from soclocal.priorities.models import Decision, Threat

LOW = dict.fromkeys(scoring.KEYS, 1)
HIGH = dict.fromkeys(scoring.KEYS, 3)


def raise_(user, title, **kw):
    return services.raise_threat(user, kind=kw.pop("kind", Threat.Kind.PLACE), title=title, **kw)


def test_raise_a_threat_from_a_profile_finding_keeps_the_figures_and_its_origin(
        client, ward_profile, people):
    doc_counts = ward_profile.figures["counts_by_crime_type"]
    crime_type = max(doc_counts, key=doc_counts.get)
    client.force_login(people["police_analyst"])
    page = client.get(reverse("profiles:profile", args=[ward_profile.pk]))
    link = (f"{reverse('priorities:threat_new')}?profile={ward_profile.pk}&amp;crime_type="
            f"{crime_type.replace(' ', '%20')}")
    assert link in page.content.decode()
    form = client.get(link.replace("&amp;", "&"))
    assert f"{doc_counts[crime_type]} recorded" in form.content.decode()
    response = client.post(reverse("priorities:threat_new"), {
        "kind": "crime_problem", "title": f"{crime_type} in the ward", "profile": ward_profile.pk,
        "crime_type": crime_type, "evidence_text": "Community reports too."})
    threat = Threat.objects.get()
    assert response.status_code == 302 and response["Location"] == threat.get_absolute_url()
    snap = threat.evidence_snapshot
    assert snap["count"] == doc_counts[crime_type] and snap["crime_type"] == crime_type
    assert snap["rate"] == ward_profile.figures["rates_per_1000"][crime_type]
    assert threat.area == ward_profile.area
    page = client.get(threat.get_absolute_url()).content.decode()
    assert "Raised from" in page and escape(f"{crime_type} in {ward_profile.title}") in page


def test_a_profile_page_offers_no_raising_to_those_who_may_not(client, ward_profile, people):
    client.force_login(people["board"])
    page = client.get(reverse("profiles:profile", args=[ward_profile.pk])).content.decode()
    assert "Raise a threat" not in page


def test_an_unknown_crime_type_is_refused_plainly(client, ward_profile, people):
    client.force_login(people["police_analyst"])
    response = client.post(reverse("priorities:threat_new"), {
        "kind": "crime_problem", "title": "x", "profile": ward_profile.pk,
        "crime_type": "Piracy"})
    assert response.status_code == 200 and "no crime type “Piracy”" in response.content.decode()
    assert not Threat.objects.exists()


def test_the_ranked_list_follows_the_method_and_a_weight_change_reorders_it(client, people):
    analyst, intel, admin = people["police_analyst"], people["intel"], people["admin"]
    harmful = raise_(analyst, "Harmful but rare")
    frequent = raise_(analyst, "Frequent but less harmful")
    physical = {**LOW, "harm_physical": 4, "likelihood": 2}
    often = {**LOW, "harm_community": 4, "likelihood": 4}
    services.assess(analyst, harmful, physical)
    services.assess(intel, harmful, physical)
    services.assess(analyst, frequent, often)

    client.force_login(admin)
    rows = client.get("/api/v1/priorities/threats").json()
    method = client.get("/api/v1/priorities/method").json()
    for row in rows:  # the order is the method applied to the recorded scores
        means = [scoring.score(a["scores"], method).value for a in row["assessments"]]
        assert row["score"] == round(sum(means) / len(means), 1)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    before = [r["title"] for r in rows]
    assert before == ["Frequent but less harmful", "Harmful but rare"]

    form = client.get(reverse("priorities:method")).context["form"]
    data = {**{k: v for k, v in form.initial.items()}, "weight_harm_physical": "20",
            "weight_harm_community": "0.5"}
    response = client.post(reverse("priorities:method"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    after = [r["title"] for r in client.get("/api/v1/priorities/threats").json()]
    assert after == ["Harmful but rare", "Frequent but less harmful"]
    assert AuditEvent.objects.filter(action="priorities.method_saved").count() == 1


def test_a_bad_method_is_refused_field_by_field(client, people):
    client.force_login(people["admin"])
    form = client.get(reverse("priorities:method")).context["form"]
    data = {**form.initial, "levels": "Only\nTwo", "band_medium": "80", "band_high": "60"}
    response = client.post(reverse("priorities:method"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Give between 3 and 11 levels" in body and "Bands must run" in body


def test_reassessment_keeps_history_and_two_assessors_compare(client, people):
    analyst, intel = people["police_analyst"], people["intel"]
    threat = raise_(analyst, "County line")
    services.assess(analyst, threat, LOW)
    services.assess(analyst, threat, HIGH, "New intelligence")
    services.assess(intel, threat, {**HIGH, "confidence": 0})
    latest = selectors.latest_by_assessor(threat)
    assert {a.assessor for a in latest} == {analyst, intel} and len(latest) == 2
    assert threat.assessments.count() == 3
    rows = {r["label"]: r for r in selectors.compare(latest)}
    assert rows["Confidence in the information"]["differ"]
    assert not rows["Physical harm"]["differ"]
    client.force_login(analyst)
    body = client.get(threat.get_absolute_url()).content.decode()
    assert "Assessors compared" in body and "New intelligence" in body


def test_a_score_out_of_scale_is_refused(people):
    threat = raise_(people["police_analyst"], "x")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as e:
        services.assess(people["police_analyst"], threat, {**LOW, "scale": 7})
    assert "between 0 and 4" in str(e.value)


def test_police_only_threats_stay_with_the_police(client, people):
    police = people["police_analyst"]
    secret = raise_(police, "Named nominal", kind=Threat.Kind.PERSON)
    shared = raise_(police, "Open drug market")
    for t in (secret, shared):
        services.assess(police, t, HIGH)
    assert secret.police_only  # a named person is always police only

    client.force_login(police)
    assert {r["title"] for r in client.get("/api/v1/priorities/threats").json()} == {
        "Named nominal", "Open drug market"}
    for name in ("board", "council_analyst", "admin", "youth_practitioner"):
        client.force_login(people[name])
        titles = {r["title"] for r in client.get("/api/v1/priorities/threats").json()}
        assert titles == {"Open drug market"}, name
        assert "Named nominal" not in client.get(reverse("priorities:list")).content.decode()
        assert "Named nominal" not in client.get(reverse("priorities:csv")).content.decode()
    client.force_login(people["council_analyst"])
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/priorities/threats/{secret.pk}").status_code == 404


def test_the_sharing_version_leaves_out_free_text_and_small_counts(client, people):
    t = raise_(people["police_analyst"], "Small problem", evidence_text="Informant says X")
    t.evidence_snapshot = {"crime_type": "Robbery", "count": 3, "rate": 0.4,
                           "harm_per_1000": 2.1, "hotspots": []}
    t.save()
    services.assess(people["police_analyst"], t, HIGH)
    client.force_login(people["board"])
    body = client.get(reverse("priorities:list")).content.decode()
    assert "Small problem" in body and "Informant" not in body and "[c] recorded" in body
    client.force_login(people["police_analyst"])
    body = client.get(reverse("priorities:list")).content.decode()
    assert "Informant" in body and "3 recorded" in body


def test_a_decision_is_audited_and_its_review_falls_due_on_the_owners_queue(client, people):
    admin, analyst = people["admin"], people["police_analyst"]
    threat = raise_(analyst, "Cuckooing on the estate")
    client.force_login(admin)
    review = timezone.localdate() + timedelta(days=3)
    response = client.post(reverse("priorities:decide", args=[threat.pk]), {
        "outcome": "refer", "reasons": "Beyond local reach", "referred_to": "",
        "owner": analyst.pk, "review_date": review.isoformat()})
    assert "Say who it is referred to" in response.content.decode()
    client.post(reverse("priorities:decide", args=[threat.pk]), {
        "outcome": "respond", "reasons": "High harm, we can act", "owner": analyst.pk,
        "review_date": review.isoformat()})
    decision = Decision.objects.get()
    assert decision.outcome == "respond" and decision.decided_by == admin
    event = AuditEvent.objects.get(action="threat.decided")
    assert event.object_id == str(threat.pk) and event.detail["outcome"] == "respond"
    items = [i for i in work.for_user(analyst) if i.heading == "Priority reviews due"]
    assert [i.url for i in items] == [threat.get_absolute_url()] and items[0].due == review
    assert not [i for i in work.for_user(admin) if i.heading == "Priority reviews due"]


def test_the_list_filters_by_type_and_area_and_exports_what_it_shows(client, people, geography):
    from soclocal.areas.models import Area

    analyst = people["police_analyst"]
    ward = Area.objects.get(type="ward", code="E05012287")
    place = raise_(analyst, "The underpass", area=ward)
    group = raise_(analyst, "Suspected line", kind=Threat.Kind.GROUP)
    raise_(analyst, "Not yet assessed")
    for t in (place, group):
        services.assess(analyst, t, HIGH)
    client.force_login(analyst)
    rows = client.get(reverse("priorities:list"), {"kind": "group"}).context["rows"]
    assert [r["threat"] for r in rows] == [group]
    rows = client.get(reverse("priorities:list"), {"area": ward.name[:5]}).context["rows"]
    assert [r["threat"] for r in rows] == [place]
    csv = client.get(reverse("priorities:csv"), {"kind": "place"}).content.decode()
    lines = csv.strip().splitlines()
    assert lines[0].startswith("rank,threat,kind,area,score,priority")
    assert len(lines) == 2 and "The underpass" in lines[1] and "Not yet assessed" not in csv
    assert "100 × impact" in lines[1]


def test_a_malformed_profile_link_is_not_found(client, people):
    client.force_login(people["police_analyst"])
    assert client.get(reverse("priorities:threat_new"), {"profile": "x"}).status_code == 404


def test_the_ranked_list_pdf_leaves_police_only_threats_out_of_the_sharing_version(client, people):
    from soclocal.priorities.views import ranked_file_html

    police = people["police_analyst"]
    for t in (raise_(police, "Named nominal", kind=Threat.Kind.PERSON),
              raise_(police, "Open drug market")):
        services.assess(police, t, HIGH)
    for name, sees_secret in (("board", False), ("youth_practitioner", False),
                              ("police_analyst", True)):
        user = people[name]
        client.force_login(user)
        response = client.get(reverse("priorities:pdf"))
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), name
        sharing = not selectors.sees_full_list(user)
        html = ranked_file_html(selectors.ranked(user, sharing=sharing), sharing=sharing)
        assert "Open drug market" in html and ("Named nominal" in html) is sees_secret, name
    # The police ask for the sharing version to circulate: the nominal is left out.
    client.force_login(police)
    response = client.get(reverse("priorities:pdf"), {"version": "sharing"})
    assert 'priorities-sharing.pdf' in response["Content-Disposition"]
    html = ranked_file_html(selectors.ranked(police, sharing=True), sharing=True)
    assert "Named nominal" not in html and "sharing version" in html
