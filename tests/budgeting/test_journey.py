"""A process from bids to results, through the pages."""

import re
from decimal import Decimal

from django.core import mail
from django.urls import reverse

from soclocal.budgeting import services
from soclocal.budgeting.models import Bid, Process, Result
from soclocal.core.models import AuditEvent


def test_from_bid_to_published_result(client, facilitator, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    process = services.create_process(facilitator, name="Youth fund", budget=Decimal(5000),
                                      max_bid=Decimal(3000), status=Process.Status.BIDDING,
                                      eligible_group_kinds="Youth group\nCharity")
    slug = process.slug
    # A group bids with a verified email and no account.
    assert client.post(reverse("community:bid_start", args=[slug]),
                       {"channel": "email", "email": "Group@Example.org"}).status_code == 302
    code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)
    wrong = client.post(reverse("community:bid_verify", args=[slug]), {"code": "000000"
                        if code != "000000" else "111111"})
    assert "not right" in wrong.content.decode()
    client.post(reverse("community:bid_verify", args=[slug]), {"code": code})
    too_much = {"title": "Boxing club", "summary": "Sessions", "group_name": "Meadows Youth",
                "group_kind": "Youth group", "place": "Meadows", "cost": "4000"}
    page = client.post(reverse("community:bid_new", args=[slug]), too_much).content.decode()
    assert "The most a bid can ask for is 3,000" in page and 'value="Boxing club"' in page
    done = client.post(reverse("community:bid_new", args=[slug]), {**too_much, "cost": "2500"})
    assert "Bid sent" in done.content.decode()
    bid = Bid.objects.get()
    assert bid.contact_email == "group@example.org"
    other = Bid.objects.create(process=process, reference="2", title="Bench", cost=Decimal(900))

    # The facilitator moderates; a refusal needs a reason.
    client.force_login(facilitator)
    url = reverse("budgeting:bid_moderate", args=[process.pk, other.pk])
    assert "Give the reason" in client.post(url, {"decision": "reject"}).content.decode()
    client.post(url, {"decision": "reject", "reason": "Outside the area"})
    client.post(reverse("budgeting:bid_moderate", args=[process.pk, bid.pk]),
                {"decision": "accept"})
    services.update_process(facilitator, process, status=Process.Status.VOTING)
    codes = services.issue_voter_codes(facilitator, process, 3)
    client.logout()

    vote = reverse("community:vote", args=[slug])
    page = client.get(vote).content.decode()
    assert "Boxing club" in page and "Bench" not in page
    for code in codes[:2]:
        assert client.post(vote, {"code": code, "choices": ["1"]}).status_code == 302

    client.force_login(facilitator)
    client.post(reverse("budgeting:result_compute", args=[process.pk]))
    result = Result.objects.get()
    assert result.funded == ["1"] and result.ballots == 2
    client.post(reverse("budgeting:result_override", args=[process.pk]),
                {"bid": bid.pk, "funded": "no", "reason": "The venue closed"})
    client.post(reverse("budgeting:result_publish", args=[process.pk]))
    client.logout()

    public = client.get(reverse("community:results", args=[slug])).content.decode()
    assert "The venue closed" in public and "2 people voted" in public
    assert "example.org" not in public
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"budgeting.bid_submitted", "budgeting.bid_moderated", "budgeting.ballot_cast",
            "budgeting.result_computed", "budgeting.result_overridden",
            "budgeting.result_published"} <= actions


def test_a_group_of_the_wrong_kind_cannot_bid(facilitator):
    process = services.create_process(facilitator, name="Fund", budget=Decimal(100),
                                      eligible_group_kinds="Charity")
    assert services.check_bid(process, cost=Decimal(50), group_kind="Business") == [
        "This kind of group cannot bid in this process."]


def test_project_photos_are_shown_once_results_are_published(client, facilitator, settings,
                                                             tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    process = services.create_process(facilitator, name="Photo fund", budget=Decimal(100))
    bid = Bid.objects.create(process=process, reference="1", title="Garden", cost=Decimal(50),
                             status=Bid.Status.ACCEPTED)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    client.force_login(facilitator)
    result = Result.objects.create(process=process, rule="greedy", ballots=0, funded=["1"])
    client.post(reverse("budgeting:project_update", args=[process.pk, bid.pk]), {
        "text": "Planted", "spend": "40", "photo_description": "Raised beds",
        "photo": SimpleUploadedFile("g.png", buffer.getvalue(), content_type="image/png")})
    update = bid.updates.get()
    photo = reverse("community:update_photo", args=[process.slug, update.pk])
    process.status = Process.Status.RESULTS
    process.save()
    client.logout()
    assert client.get(photo).status_code == 302  # not published yet
    services.publish_result(facilitator, result)
    assert client.get(photo).status_code == 200
    assert 'alt="Raised beds"' in client.get(
        reverse("community:results", args=[process.slug])).content.decode()


def test_the_demo_shows_the_bid_code_on_the_page_and_production_never_does(
        client, facilitator, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    process = services.create_process(facilitator, name="Demo fund", budget=Decimal(5000),
                                      max_bid=Decimal(3000), status=Process.Status.BIDDING)
    start = reverse("community:bid_start", args=[process.slug])
    verify = reverse("community:bid_verify", args=[process.slug])
    for production in (False, True):
        settings.PRODUCTION = production
        client.post(start, {"channel": "email", "email": f"bidder{production}@example.org"})
        code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
        response = client.get(verify)
        page = response.content.decode()
        assert response.status_code == 200 and "Check your email" in page
        assert (f"The code we sent is <strong>{code}</strong>" in page) is not production
