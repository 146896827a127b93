"""Bidders who verify a mobile number instead of an email: format, codes, the SMS backends."""

import json
import re
import threading
import uuid
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from soclocal.budgeting import services, sms
from soclocal.budgeting.models import Bid, ContactCheck, Process

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(nine_digits, st.sampled_from(["07{}", "+447{}", "+44 (0)7{}", "00447{}", "07{} "]))
def test_every_usual_way_of_writing_a_uk_mobile_gives_the_same_number(digits, pattern):
    written = pattern.format(digits)
    spaced = written[:5] + " " + written[5:]
    assert sms.normalise_mobile(written) == sms.normalise_mobile(spaced) == "+447" + digits


@given(st.text(max_size=20))
def test_anything_else_is_refused_with_a_clear_message(text):
    try:
        number = sms.normalise_mobile(text)
    except ValidationError as e:
        assert e.messages[0]
    else:
        assert re.fullmatch(r"\+447[0-9]{9}", number)


@given(st.text(alphabet=st.characters(categories=["Nd"]), min_size=9, max_size=9))
def test_only_digits_0_to_9_make_a_number(digits):
    try:
        number = sms.normalise_mobile("07" + digits)
    except ValidationError as e:
        assert "only contain digits" in e.messages[0]
    else:
        assert re.fullmatch(r"\+447[0-9]{9}", number)


@pytest.mark.parametrize("value, message", [
    ("", "Enter a mobile number."),
    ("0115 915 5555", "UK mobile numbers start 07"),
    ("0770090012", "has 10"),
    ("077009001234", "has 12"),
    ("07700 9OO123", "only contain digits"),
    ("+33 6 12 34 56 78", "is not a UK mobile number"),
    ("07\u0667\u0660\u0660 900123", "only contain digits"),  # Arabic-Indic digits
])
def test_wrong_numbers_say_what_is_wrong(value, message):
    with pytest.raises(ValidationError) as error:
        sms.normalise_mobile(value)
    assert message in error.value.messages[0]
    assert "07700 900123" in error.value.messages[0]


def test_a_bidder_verifies_a_mobile_by_text_and_bids(client, facilitator, text_messages):
    process = services.create_process(facilitator, name="Youth fund", budget=Decimal(5000),
                                      status=Process.Status.BIDDING)
    start = reverse("community:bid_start", args=[process.slug])
    page = client.post(start, {"channel": "sms", "mobile": "0115 915 5555"}).content.decode()
    assert "UK mobile numbers start 07" in page and 'value="0115 915 5555"' in page
    page = client.post(start, {"channel": "sms"}).content.decode()
    assert "Enter a mobile number." in page
    assert client.post(start, {"channel": "sms", "mobile": "07700 900123"}).status_code == 302
    [text] = text_messages
    assert text.to == "+447700900123"
    code = re.search(r"\b(\d{6})\b", text.body).group(1)
    verify = reverse("community:bid_verify", args=[process.slug])
    assert "Check your phone" in client.get(verify).content.decode()
    wrong = "000000" if code != "000000" else "111111"
    assert "Check the text message" in client.post(verify, {"code": wrong}).content.decode()
    assert client.post(verify, {"code": code}).status_code == 302
    client.post(reverse("community:bid_new", args=[process.slug]), {
        "title": "Boxing club", "summary": "Sessions", "group_name": "Meadows Youth",
        "group_kind": "Charity", "place": "Meadows", "cost": "2500"})
    bid = Bid.objects.get()
    assert bid.contact_phone == "+447700900123" and bid.contact_email == ""
    check = ContactCheck.objects.get()
    assert code not in check.code_hash and check.address == "+447700900123"


def test_email_is_still_a_choice_and_needs_an_address(client, facilitator):
    process = services.create_process(facilitator, name="Youth fund", budget=Decimal(5000),
                                      status=Process.Status.BIDDING)
    start = reverse("community:bid_start", args=[process.slug])
    assert "Choose email or text message." in client.post(start, {"email": ""}).content.decode()
    page = client.post(start, {"channel": "email", "mobile": "07700900123"}).content.decode()
    assert "Enter your email address, or choose text message." in page


def test_a_half_typed_email_does_not_block_a_text_message(client, facilitator, text_messages):
    process = services.create_process(facilitator, name="Youth fund", budget=Decimal(5000),
                                      status=Process.Status.BIDDING)
    start = reverse("community:bid_start", args=[process.slug])
    answer = client.post(start, {"channel": "sms", "email": "group@", "mobile": "07700900123"})
    assert answer.status_code == 302 and [t.to for t in text_messages] == ["+447700900123"]


@pytest.mark.parametrize("channel, address", [("sms", "07700900123"),
                                              ("email", "group@example.org")])
def test_text_and_email_codes_allow_five_tries(db, text_messages, channel, address):
    from django.core import mail

    check = services.send_code(channel, address)
    sent = text_messages[0].body if channel == "sms" else mail.outbox[0].body
    code = re.search(r"\b(\d{6})\b", sent).group(1)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(services.CODE_TRIES):
        with pytest.raises(ValidationError, match="not right"):
            services.confirm_code(check.pk, wrong)
    with pytest.raises(ValidationError, match="Ask for a new code"):
        services.confirm_code(check.pk, code)  # even the right code, after five tries


def test_an_unknown_backend_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SMS_BACKEND = "pigeon"
    with pytest.raises(ImproperlyConfigured, match="console, locmem or notify"):
        sms.send("+447700900123", "hello")


def test_the_console_backend_writes_the_message_to_the_log(settings, caplog):
    settings.SMS_BACKEND = "console"
    sms.send("+447700900123", "Your code is 123456")
    assert "Your code is 123456" in caplog.text and "not sent" in caplog.text


class _Notify(BaseHTTPRequestHandler):
    """Stands in for GOV.UK Notify's HTTP API, answering as it documents."""

    received = []
    status = 201

    def do_POST(self):  # noqa: N802 - the name http.server calls
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((self.path, self.headers["Authorization"], body))
        answer = (json.dumps({"id": str(uuid.uuid4())}) if self.status == 201 else
                  json.dumps({"status_code": self.status,
                              "errors": [{"error": "BadRequestError", "message": "no"}]}))
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def notify(settings):
    server = HTTPServer(("127.0.0.1", 0), _Notify)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    service, secret = str(uuid.uuid4()), str(uuid.uuid4())
    settings.SMS_BACKEND = "notify"
    settings.NOTIFY_API_KEY = f"test-{service}-{secret}"
    settings.NOTIFY_SMS_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    _Notify.received, _Notify.status = [], 201
    yield service, secret
    server.shutdown()


def test_notify_is_sent_the_number_template_and_message_with_a_signed_token(notify):
    service, secret = notify
    sms.send("+447700900123", "Your code is 123456")
    [(path, auth, body)] = _Notify.received
    assert path == "/v2/notifications/sms"
    assert body == {"phone_number": "+447700900123",
                    "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
                    "personalisation": {"message": "Your code is 123456"}}
    token = jwt.decode(auth.removeprefix("Bearer "), secret, algorithms=["HS256"])
    assert token["iss"] == service


def test_a_notify_refusal_becomes_a_clear_message_for_the_bidder(db, notify, caplog):
    _Notify.status = 400
    with pytest.raises(ValidationError, match="could not send the text message"):
        services.send_code("sms", "07700900123")
    assert "07700900123" not in caplog.text and "+447700900123" not in caplog.text


def test_notify_without_a_key_is_not_sent_and_says_why(db, settings, caplog):
    settings.SMS_BACKEND, settings.NOTIFY_API_KEY = "notify", ""
    with pytest.raises(ValidationError, match="could not send the text message"):
        services.send_code("sms", "07700900123")
    assert "NOTIFY_API_KEY" in caplog.text


@pytest.mark.parametrize("channel, address, again", [
    ("sms", "07700900123", "+44 7700 900123"), ("email", "group@example.org", "Group@Example.org")])
def test_a_number_or_address_gets_only_a_few_codes_an_hour(client, facilitator, text_messages,
                                                           mailoutbox, channel, address, again):
    from datetime import timedelta

    from django.utils import timezone

    process = services.create_process(facilitator, name="Youth fund", budget=Decimal(5000),
                                      status=Process.Status.BIDDING)
    for _ in range(services.CODES_PER_HOUR):
        services.send_code(channel, address)
    start = reverse("community:bid_start", args=[process.slug])
    field = "mobile" if channel == "sms" else "email"
    page = client.post(start, {"channel": channel, field: again}).content.decode()
    assert "codes to this" in page and "in the last hour" in page
    assert len(text_messages) + len(mailoutbox) == services.CODES_PER_HOUR
    # An hour on, codes can be sent again.
    ContactCheck.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    assert client.post(start, {"channel": channel, field: again}).status_code == 302


def test_a_code_that_could_not_be_sent_does_not_count_towards_the_limit(db, notify):
    _Notify.status = 500
    for _ in range(services.CODES_PER_HOUR + 1):
        with pytest.raises(ValidationError, match="could not send the text message"):
            services.send_code("sms", "07700900123")
    assert not ContactCheck.objects.exists()
