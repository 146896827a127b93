"""A resident who chooses Welsh bids, votes and is told the outcome in Welsh, through the
pages; content held in both languages is shown in theirs, with the other one available."""

import html
import re
from datetime import date
from decimal import Decimal

from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from soclocal.budgeting import services
from soclocal.budgeting.models import Bid, Process


def text(response) -> str:
    return html.unescape(response.content.decode())


def welsh(client, page="/community/"):
    """Follow the header's language link from `page`, as a resident would."""
    response = client.get(reverse("core:language", args=["cy"]), {"next": page})
    assert response.status_code == 302 and response["Location"] == page
    return response


def test_the_language_link_keeps_the_page_and_is_remembered(client, db):
    english = client.get("/community/").content.decode()
    assert '<html lang="en-GB"' in english and "Your community" in english
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*lang="cy"[^>]*>Cymraeg</a>', english)
    assert link, "the header offers Cymraeg"
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 302 and response["Location"] == "/community/"
    cookie = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "cy" and int(cookie["max-age"]) >= 30 * 24 * 3600

    page = client.get("/community/stories/").content.decode()  # another page, same choice
    assert '<html lang="cy"' in page and "Straeon" in page and "Stories</h1>" not in page
    assert re.search(r'lang="en-GB"[^>]*>English</a>', page)
    client.get(reverse("core:language", args=["en-gb"]), {"next": "/community/stories/"})
    assert "Stories</h1>" in client.get("/community/stories/").content.decode()


def test_the_link_never_sends_a_resident_to_another_site(client, db):
    response = client.get(reverse("core:language", args=["cy"]),
                          {"next": "https://elsewhere.example/"})
    assert response["Location"] == "/"
    assert client.get(reverse("core:language", args=["fr"])).status_code == 404


def test_a_welsh_bid_by_email_is_confirmed_and_decided_in_welsh(client, facilitator):
    process = services.create_process(
        facilitator, name="Ringland youth fund", name_cy="Cronfa ieuenctid Ringland",
        budget=Decimal(5000), max_bid=Decimal(3000), status=Process.Status.BIDDING,
        voting_open=date(2027, 3, 1))
    slug = process.slug
    welsh(client, f"/community/budgets/{slug}/")
    page = client.get(f"/community/budgets/{slug}/").content.decode()
    assert "Cronfa ieuenctid Ringland</h1>" in page and "Gwneud cais" in page
    assert "Ringland youth fund" in page  # the English name is there too, to open

    start = client.post(reverse("community:bid_start", args=[slug]), {"channel": "email"})
    assert "Rhowch eich cyfeiriad e-bost" in start.content.decode()  # Welsh errors too
    client.post(reverse("community:bid_start", args=[slug]),
                {"channel": "email", "email": "grwp@example.org"})
    code_email = mail.outbox[-1]
    assert code_email.subject == "Eich cod ar gyfer cais cyllidebu cyfranogol"
    code = re.search(r"\b(\d{6})\b", code_email.body).group(1)
    wrong = client.post(reverse("community:bid_verify", args=[slug]),
                        {"code": "000000" if code != "000000" else "111111"})
    assert "Dydy'r cod ddim yn gywir" in text(wrong)
    client.post(reverse("community:bid_verify", args=[slug]), {"code": code})
    bid = {"title": "Pêl-droed nos Wener", "summary": "Pêl-droed gyda gweithwyr ieuenctid",
           "group_name": "Ieuenctid Alway", "group_kind": "Community group",
           "place": "Alway", "cost": "4000"}
    too_much = text(client.post(reverse("community:bid_new", args=[slug]), bid))
    assert "Y mwyaf y gall cais ofyn amdano yw 3,000" in too_much
    assert 'value="Pêl-droed nos Wener"' in too_much  # what was typed is kept
    done = client.post(reverse("community:bid_new", args=[slug]), {**bid, "cost": "2500"})
    assert "Cais wedi'i anfon" in text(done)
    saved = Bid.objects.get(process=process)
    assert saved.language == "cy"
    receipt = mail.outbox[-1]
    assert receipt.to == ["grwp@example.org"]
    assert receipt.subject == "Mae eich cais i Cronfa ieuenctid Ringland wedi dod i law"
    assert f"Eich cyfeirnod yw {saved.reference}" in receipt.body

    # Staff work in English; the bidder still hears in Welsh, with a Welsh date.
    staff = client.__class__()
    staff.force_login(facilitator)
    staff.post(reverse("budgeting:bid_moderate", args=[process.pk, saved.pk]),
               {"decision": "accept"})
    decision = mail.outbox[-1]
    assert decision.subject == "Mae eich cais i Cronfa ieuenctid Ringland ar y papur pleidleisio"
    assert "1 Mawrth 2027" in decision.body and "Voting" not in decision.body


def test_a_welsh_bid_by_text_message_is_confirmed_in_welsh(client, facilitator, text_messages):
    process = services.create_process(facilitator, name="Alway fund", budget=Decimal(5000),
                                      status=Process.Status.BIDDING)
    slug = process.slug
    welsh(client)
    client.post(reverse("community:bid_start", args=[slug]),
                {"channel": "sms", "mobile": "07700 900123"})
    assert text_messages[-1].body.startswith("Eich cod ar gyfer cais cyllidebu cyfranogol yw")
    code = re.search(r"\b(\d{6})\b", text_messages[-1].body).group(1)
    client.post(reverse("community:bid_verify", args=[slug]), {"code": code})
    client.post(reverse("community:bid_new", args=[slug]), {
        "title": "Gardd", "summary": "Gardd gymunedol", "group_name": "Gerddi Alway",
        "group_kind": "Charity", "place": "Alway", "cost": "900"})
    assert text_messages[-1].to == "+447700900123"
    assert text_messages[-1].body.startswith("Mae eich cais i Alway fund wedi dod i law")


def test_a_vote_cast_in_welsh(client, voting_process, codes):
    Bid.objects.filter(process=voting_process, reference="1").update(title_cy="Gardd")
    code = codes(1)[0]
    welsh(client)
    vote = reverse("community:vote", args=[voting_process.slug])
    ballot = text(client.get(vote))
    assert "Ticiwch bob cais rydych chi'n ei gefnogi." in ballot
    assert "Gardd (4,000 GBP)" in ballot and "Bwrw fy mhleidlais" in ballot
    wrong = client.post(vote, {"code": "NOTACODE", "choices": ["1"]})
    assert wrong.status_code == 400
    assert "Dydy'r cod pleidleisio hwnnw ddim yn gywir" in text(wrong)
    assert client.post(vote, {"code": code, "choices": ["1", "3"]}).status_code == 302
    done = client.get(reverse("community:vote_done", args=[voting_process.slug]))
    assert "Mae eich pleidlais wedi'i chyfrif" in text(done)
    again = text(client.post(vote, {"code": code, "choices": ["2"]}))
    assert "wedi'i ddefnyddio'n barod" in again


def test_dates_and_counts_follow_the_language(client, facilitator):
    process = services.create_process(facilitator, name="Newport fund", budget=Decimal(12000),
                                      status=Process.Status.BIDDING,
                                      bids_close=date(2027, 1, 15))
    english = client.get(f"/community/budgets/{process.slug}/").content.decode()
    assert "15 January 2027" in english and "12,000 GBP" in english
    welsh(client)
    page = client.get(f"/community/budgets/{process.slug}/").content.decode()
    assert "15 Ionawr 2027" in page and "12,000 GBP" in page


def test_pages_not_found_speak_welsh(client, db):
    welsh(client)
    page = client.get("/community/budgets/no-such-fund/")
    assert page.status_code == 404
    assert "Heb ddod o hyd i'r dudalen" in text(page)
