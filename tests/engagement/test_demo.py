from django.urls import reverse

from soclocal.budgeting.models import Ballot, Bid, Process, Result
from soclocal.engagement.demo import DEMO_SLUG, load_demo_engagement
from soclocal.engagement.models import Story


def test_the_demo_loads_once_and_its_public_pages_work(client, db):
    load_demo_engagement()
    load_demo_engagement()
    assert Process.objects.count() == 1 and Ballot.objects.count() == 120
    assert Result.objects.filter(published=True).count() == 1
    assert Process.objects.get().residents_who_planned == 40
    assert Bid.objects.get(community_group__isnull=False).community_group.name == \
        "St Ann's community voice"
    assert Story.objects.filter(status=Story.Status.PUBLISHED).count() == 2
    page = client.get(reverse("community:results", args=[DEMO_SLUG])).content.decode()
    assert "120 people voted" in page
    assert client.get(reverse("community:stories")).status_code == 200
