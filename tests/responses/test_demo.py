"""The demo meetings and plans: six agencies at every status, two minuted meetings, one to come."""

from collections import defaultdict

from soclocal.priorities.demo import load_demo_priorities
from soclocal.responses.demo import AGENCIES, load_demo_meetings
from soclocal.responses.models import Action, Meeting, Plan
from tests.profiles.conftest import crime_store, geography  # noqa: F401  (fixtures)


def test_demo_meetings(crime_store, geography):  # noqa: F811
    from soclocal.areas.models import Area
    from soclocal.demo import load_people
    from soclocal.profiles.services import build_profile

    load_people()
    build_profile(None, Area.objects.get(type="ward", code="E05012287"), "2024-11", "2024-12")
    load_demo_priorities()
    meetings = load_demo_meetings()
    assert load_demo_meetings() is None and Meeting.objects.count() == 3  # safe to run again
    statuses = defaultdict(set)
    for a in Action.objects.select_related("owning_agency"):
        statuses[a.owning_agency.name].add(a.current_status())
    every = {"not_started", "on_track", "at_risk", "overdue", "done", "dropped"}
    assert all(statuses[name] == every for name in AGENCIES)
    assert Plan.objects.count() == 3
    # Actions suit the agency that owns them: police powers stay with the police.
    powers = ("warrant", "arrest", "closure order", "patrol", "phones")
    for a in Action.objects.exclude(owning_agency__name="Nottinghamshire Police"):
        assert not any(p in a.title.lower() for p in powers), (a.owning_agency.name, a.title)
    past, upcoming = meetings[:2], meetings[2]
    assert all(m.is_past and m.attendance.exists() for m in past)
    assert all(i.minutes for m in past for i in m.items.all())
    assert not upcoming.is_past
    kinds = set(upcoming.items.values_list("kind", flat=True))
    assert {"at_risk", "overdue", "decision"} <= kinds
    assert upcoming.items.filter(title__startswith="Secure the communal entrances").exists()
