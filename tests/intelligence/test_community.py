"""Community submissions: a resident's report from the public pages to the officers' queue."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soclocal.cli import main
from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from soclocal.engagement.forms import CommunityReportForm
from soclocal.intelligence import services
from soclocal.intelligence.models import Submission

URL = "/community/tell-us/"
SENT = "/community/tell-us/sent/"


def started(seconds_ago=10):
    return signing.dumps(time.time() - seconds_ago, salt=CommunityReportForm.SALT)


def form_data(**overrides):
    data = {"what": "Boys of about 14 are handed small packages from a grey car",
            "where": "Outside the chip shop on Example Road", "when": "Most evenings about 7",
            "who": "A man called 'Tee'", "identifying": "Grey hatchback, plate starts AB12",
            "how_known": "saw", "urgency": "routine", "contact_name": "", "contact": "",
            "website": "", "started": started()}
    data.update(overrides)
    return data


@pytest.fixture
def intel(make_user):
    return make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="intel")


def test_public_home_links_to_the_form(client, org):
    page = client.get("/community/").content.decode()
    assert reverse("community:tell_us") in page


def test_the_form_says_what_happens_and_when_to_call_999(client, org):
    page = client.get(URL).content.decode()
    assert "call 999" in page and "101" in page
    assert "stay anonymous" in page and "30 days" in page
    assert "may share" in page


def test_anonymous_report_lands_on_the_officers_queue_ungraded(client, intel):
    response = client.post(URL, form_data(), REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302 and response["Location"] == SENT
    sent = Submission.objects.get()
    assert sent.source == "community" and sent.submitted_by is None
    assert sent.contact == "" and sent.contact_name == "" and sent.reference.startswith("C-")
    assert sent.to_agency.name == "Test Police"
    assert not sent.reports.exists()  # ungraded until an officer records a report
    client.force_login(intel)
    home = client.get(reverse("intelligence:home")).content.decode()
    assert sent.reference in home and "a resident" in home
    page = client.get(reverse("intelligence:submission", args=[sent.pk])).content.decode()
    assert "Community (ungraded)" in page and "Anonymous" in page
    assert "Grey hatchback" in page
    new = client.get(reverse("intelligence:report_new") + f"?submission={sent.pk}").content
    assert b'value="public" checked' in new or b'value="public" selected' in new


def test_thank_you_page_shows_the_reference_and_nothing_that_was_sent(client, org):
    response = client.post(URL, form_data(contact="ash@example.org", contact_name="Ash"),
                           follow=True)
    page = response.content.decode()
    sent = Submission.objects.get()
    assert sent.reference in page
    for typed in ("chip shop", "grey car", "Tee", "AB12", "ash@example.org", "Ash"):
        assert typed not in page
    # Shown once: coming back later shows no reference either.
    assert sent.reference not in client.get(SENT).content.decode()


def test_contact_details_are_read_only_by_the_receiving_forces_officers_and_audited(
        client, intel, make_user):
    client.post(URL, form_data(contact=" 07700 900123 ", contact_name="Sam"))
    sent = Submission.objects.get()
    assert sent.contact == "07700900123" and sent.contact_name == "Sam"
    client.force_login(intel)
    page = client.get(reverse("intelligence:submission", args=[sent.pk])).content.decode()
    assert "07700900123" in page
    assert AuditEvent.objects.filter(action="intelligence.community.contact_viewed",
                                     actor_id=intel.pk, object_id=str(sent.pk)).exists()
    elsewhere = make_user(Role.INTELLIGENCE_OFFICER, agency="youth", username="otherforce")
    others = [elsewhere, make_user(Role.PRACTITIONER, agency="police", username="pcso"),
              make_user(Role.MANAGER, agency="police", username="pmanager"),
              make_user(Role.PARTNERSHIP_ADMIN, agency="police", username="padmin")]
    for user in others:
        client.force_login(user)
        response = client.get(reverse("intelligence:submission", args=[sent.pk]))
        assert response.status_code in (403, 404), user
        assert b"07700900123" not in response.content


def test_urgent_risk_to_a_child_goes_urgent_on_the_queue(client, intel):
    client.post(URL, form_data(urgency="urgent", child_at_risk="on"))
    sent = Submission.objects.get()
    assert sent.urgent_safeguarding
    assert AuditEvent.objects.filter(action="intelligence.submission.routed_urgently",
                                     object_id=str(sent.pk)).exists()
    client.force_login(intel)
    home = client.get(reverse("intelligence:home")).content.decode()
    assert "Urgent safeguarding concern" in home


def test_mistakes_are_said_and_what_was_typed_is_kept(client, org):
    response = client.post(URL, form_data(what="", contact="not-an-email@",
                                          where="Example Park"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say what is happening" in page
    assert "Enter an email address in the right format" in page
    assert "Example Park" in page and "not-an-email@" in page
    assert not Submission.objects.exists()


def test_honeypot_and_instant_posts_are_thanked_and_dropped(client, org):
    for data in (form_data(website="http://spam.example"), form_data(started=started(0)),
                 form_data(started="forged")):
        response = client.post(URL, data)
        assert response.status_code == 302 and response["Location"] == SENT
    assert not Submission.objects.exists()


def test_hourly_limit_per_address_and_overall(client, org, monkeypatch):
    for _ in range(services.COMMUNITY_PER_ADDRESS_HOUR):
        assert client.post(URL, form_data(), REMOTE_ADDR="198.51.100.7").status_code == 302
    refused = client.post(URL, form_data(where="Kept place"), REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 400
    assert b"try again in an hour" in refused.content and b"Kept place" in refused.content
    assert client.post(URL, form_data(), REMOTE_ADDR="198.51.100.8").status_code == 302
    # The address is kept only as a keyed hash.
    assert not Submission.objects.filter(client_key__contains="198.51").exists()
    monkeypatch.setattr(services, "COMMUNITY_PER_HOUR", Submission.objects.count())
    assert client.post(URL, form_data(), REMOTE_ADDR="192.0.2.1").status_code == 400
    # An hour later the limits no longer count those.
    later = timezone.now() + timedelta(hours=1, minutes=1)
    services.submit_community(what="a", where="b", when="c", client_address="198.51.100.7",
                              now=later)


def test_no_force_set_up_is_said_plainly(db):
    with pytest.raises(ValidationError) as e:
        services.submit_community(what="a", where="b", when="c")
    assert "try again in an hour" in str(e.value)


def test_forget_contacts_clears_residents_details_after_the_period(client, intel, capsys):
    old = services.submit_community(what="a", where="b", when="c", contact="a@example.org",
                                    contact_name="A", client_address="192.0.2.9",
                                    now=timezone.now() - timedelta(days=31))
    new = services.submit_community(what="d", where="e", when="f", contact="b@example.org",
                                    client_address="192.0.2.9")
    assert main(["forget-contacts"]) == 0
    assert "community-report-contacts: 1 intelligence.submission due" in \
        capsys.readouterr().out
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.contact == "" and old.contact_name == "" and old.contact_forgotten_at
    assert old.client_key == "" and old.what == "a"  # the intelligence itself stays
    assert new.contact == "b@example.org" and new.client_key
    assert AuditEvent.objects.filter(action="retention.anonymised",
                                     object_type="intelligence.submission").exists()
    client.force_login(intel)
    page = client.get(reverse("intelligence:submission", args=[old.pk])).content.decode()
    assert "Contact details deleted" in page


text = st.text(max_size=400)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(what=text, where=text, when=text, who=text, contact=text, name=text,
       urgency=text, how_known=text)
def test_any_text_is_either_accepted_or_refused_clearly(org, what, where, when, who, contact,
                                                        name, urgency, how_known):
    form = CommunityReportForm(form_data(what=what, where=where, when=when, who=who,
                                         contact=contact, contact_name=name, urgency=urgency,
                                         how_known=how_known))
    if not form.is_valid():
        assert form.errors
        return
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("website", "started")}
    try:
        sent = services.submit_community(**data)
    except ValidationError as e:
        assert e.messages
    else:
        assert sent.source == "community"
        sent.delete()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(what=text, where=text, contact=text, started_=text)
def test_any_post_never_raises_a_server_error(client, org, what, where, contact, started_):
    response = client.post(URL, {"what": what, "where": where, "when": "now",
                                 "contact": contact, "urgency": "routine", "started": started_})
    assert response.status_code in (302, 400)
    Submission.objects.all().delete()
