"""The demo priorities load from the Nottingham profiles and network, once."""

from soclocal.core import work
from soclocal.priorities import selectors
from soclocal.priorities.demo import (
    load_demo_group_threat,
    load_demo_linked_case,
    load_demo_priorities,
)
from soclocal.priorities.models import Threat
from soclocal.responses.models import Plan


def test_demo_priorities(crime_store, geography):
    from soclocal.accounts.models import User
    from soclocal.areas.models import Area
    from soclocal.demo import load_people
    from soclocal.intelligence.demo import load_demo_intelligence
    from soclocal.profiles.services import build_profile

    load_people()
    build_profile(None, Area.objects.get(type="lad", code="E06000018"), "2024-11", "2024-12")
    wards = Area.objects.filter(type="ward", ward_lsoas__lad__code="E06000018").distinct()
    for ward in wards.order_by("name")[:4]:
        build_profile(None, ward, "2024-11", "2024-12")
    threats = load_demo_priorities()
    assert load_demo_priorities() == [] and Threat.objects.count() == len(threats)
    load_demo_intelligence()
    group = load_demo_group_threat()
    assert group is not None and group.police_only and group.kind == Threat.Kind.GROUP
    assert load_demo_group_threat() is None
    assert group.links.exists() and group.evidence_snapshot["group"]["members"] >= 3
    # A referral from the top plan's Divert action counts as a case linked to its threat.
    assert load_demo_linked_case() is not None and load_demo_linked_case() is None
    top = Plan.objects.get().threat
    assert selectors.evidence_counts(User.objects.get(username="board"), [top])[top.pk] == {
        "cases": 1, "intelligence": None}
    assert 10 <= Threat.objects.count() <= 14
    assert {t.kind for t in Threat.objects.all()} == set(Threat.Kind.values)
    assert Threat.objects.filter(police_only=True).count() == 2  # the nominal and the group
    # Every threat is assessed by two people, so every one is ranked.
    intel = User.objects.get(username="intel")
    assert len(selectors.ranked(intel)) == Threat.objects.count()
    assert all(len(selectors.latest_by_assessor(t)) == 2 for t in Threat.objects.all())
    plan = Plan.objects.get()
    agencies = set(plan.actions.values_list("owning_agency__name", flat=True))
    assert agencies == {"Nottinghamshire Police", "Nottingham Community Safety Partnership",
                        "Trentside Housing Association"}
    statuses = {a.current_status() for a in plan.actions.all()}
    assert {"overdue", "at_risk"} <= statuses
    board = User.objects.get(username="board")
    assert len(selectors.ranked(board)) == Threat.objects.count() - 2  # none police only
    housing = User.objects.get(username="housing.officer")
    assert "Actions due" in [i.heading for i in work.for_user(housing)]
