"""A resident who reads the community pages in Welsh asks to join a group and tells the
partnership what they know in Welsh; staff see which language to answer in."""

from html import unescape

from django.urls import reverse

from soclocal.core.access import Role
from soclocal.engagement import services as engagement
from soclocal.engagement.models import JoinRequest
from soclocal.intelligence.models import Submission
from tests.intelligence.test_community import form_data


def welsh(client):
    client.get(reverse("core:language", args=["cy"]), {"next": "/community/"})


def test_a_join_request_in_welsh_is_answered_in_welsh(client, make_user):
    facilitator = make_user(Role.COMMUNITY_FACILITATOR, username="hwylusydd")
    group = engagement.create_group(facilitator, name="Alway voice", name_cy="Llais Alway",
                                    description="Residents choosing what matters",
                                    description_cy="Trigolion yn dewis beth sy'n bwysig")
    welsh(client)
    home = unescape(client.get("/community/").content.decode())
    assert "Llais Alway" in home and "Trigolion yn dewis beth sy'n bwysig" in home
    url = reverse("community:group_join", args=[group.pk])
    empty = unescape(client.post(url, {"name": "", "contact": ""}).content.decode())
    assert "Rhowch eich enw" in empty
    assert client.post(url, {"name": "Rhian", "contact": "rhian@example.org"}).status_code == 302
    assert JoinRequest.objects.get().language == "cy"
    staff = client.__class__()
    staff.force_login(facilitator)
    page = staff.get(reverse("engagement:join_requests", args=[group.pk])).content.decode()
    assert "Cymraeg" in page


def test_a_report_in_welsh_says_so_to_the_officer(client, make_user):
    intel = make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="intel")
    welsh(client)
    page = unescape(client.post("/community/tell-us/", {"what": ""}).content.decode())
    assert "Dywedwch beth sy'n digwydd" in page and "Eich enw (dewisol)" in page
    client.post("/community/tell-us/", form_data(contact="07700 900123"))
    sent = Submission.objects.get()
    assert sent.language == "cy"
    thanks = unescape(client.get("/community/tell-us/sent/").content.decode())
    assert "Diolch" in thanks and sent.reference in thanks
    client.force_login(intel)
    page = client.get(reverse("intelligence:submission", args=[sent.pk])).content.decode()
    assert "Cymraeg" in page
