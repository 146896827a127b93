"""The demo priorities load from a Nottingham profile, once."""

from soclocal.core import work
from soclocal.priorities import selectors
from soclocal.priorities.demo import load_demo_priorities
from soclocal.priorities.models import Threat
from soclocal.responses.models import Plan


def test_demo_priorities(crime_store, geography):
    from soclocal.accounts.models import User
    from soclocal.areas.models import Area
    from soclocal.demo import load_people
    from soclocal.profiles.services import build_profile

    load_people()
    build_profile(None, Area.objects.get(type="ward", code="E05012287"), "2024-11", "2024-12")
    threats = load_demo_priorities()
    assert len(threats) == 4 and Threat.objects.filter(police_only=True).count() == 1
    assert load_demo_priorities() == [] and Threat.objects.count() == 4
    plan = Plan.objects.get()
    agencies = set(plan.actions.values_list("owning_agency__name", flat=True))
    assert agencies == {"Nottinghamshire Police", "Nottingham Community Safety Partnership",
                        "Trentside Housing Association"}
    statuses = {a.current_status() for a in plan.actions.all()}
    assert {"overdue", "at_risk"} <= statuses
    board = User.objects.get(username="board")
    assert len(selectors.ranked(board)) == 3  # the nominal is police only
    assert len(selectors.ranked(User.objects.get(username="intel"))) == 4
    housing = User.objects.get(username="housing.officer")
    assert [i.heading for i in work.for_user(housing)] == ["Actions due"]
