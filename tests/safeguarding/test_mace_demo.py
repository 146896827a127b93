"""The demo MACE panel (four children from the demo cases) and the two peer-group maps."""

from django.urls import reverse


def test_the_demo_panel_and_maps_load_once_and_are_reached_by_membership(db, client):
    from soclocal.accounts.models import User
    from soclocal.cases.demo import load_demo_cases
    from soclocal.core import work
    from soclocal.demo import load_people
    from soclocal.safeguarding.demo import load_demo_mace
    from soclocal.safeguarding.models import MaceHearing, PanelMeeting, PeerGroupMap

    load_people()
    load_demo_cases()
    load_demo_mace()
    load_demo_mace()
    meeting = PanelMeeting.objects.get()
    assert meeting.hearings.count() == 4
    assert PeerGroupMap.objects.count() == 2
    assert all(m.links.exclude(action="").count() + m.links.filter(action="")
               .exclude(no_action_reason="").count() == m.links.count()
               for m in PeerGroupMap.objects.all())
    owner = User.objects.get(username="practitioner")
    kept = MaceHearing.objects.filter(outcome="review")
    assert kept.count() == 3
    reviews = [i for i in work.for_user(owner) if i.heading == "MACE reviews due"]
    assert len(reviews) == 3
    client.force_login(owner)
    assert client.get(reverse("safeguarding:hearing", args=[kept[0].pk])).status_code == 200
    assert client.get(reverse("safeguarding:panel", args=[meeting.pk])).status_code == 404
    for m in PeerGroupMap.objects.all():
        assert client.get(reverse("safeguarding:map", args=[m.pk])).status_code == 200
    client.force_login(User.objects.get(username="mentor"))
    assert client.get(reverse("safeguarding:map", args=[m.pk])).status_code == 403
