"""Stories are shared only with consent; withdrawing it removes the story everywhere."""

import csv

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from soclocal.engagement import selectors, services
from soclocal.engagement.anonymise import flags
from soclocal.engagement.models import Story

TOLD = "My cousin Jamal went to Hillside Academy. The older lads on Carlton Road paid him."


@pytest.fixture
def facilitator(make_user):
    return make_user(Role.COMMUNITY_FACILITATOR)


@pytest.fixture
def published(facilitator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    story = services.gather_story(
        facilitator, title="Paid to carry", text=TOLD, consent_keep=True, consent_share=True,
        consent_publish=True, tags="exploitation, youth work",
        audio=SimpleUploadedFile("told.mp3", b"ID3fake", content_type="audio/mpeg"))
    services.review_story(facilitator, story,
                          anonymised_text="A young man I know was paid to carry things.")
    return services.publish_story(facilitator, story)


def test_nothing_is_published_before_review_or_without_consent(facilitator):
    story = services.gather_story(facilitator, title="T", text=TOLD, consent_keep=True,
                                  consent_publish=True)
    with pytest.raises(ValidationError, match="after its anonymisation review"):
        services.publish_story(facilitator, story)
    quiet = services.gather_story(facilitator, title="Q", text=TOLD, consent_keep=True)
    services.review_story(facilitator, quiet, anonymised_text="Anonymised")
    with pytest.raises(ValidationError, match="not consented"):
        services.publish_story(facilitator, quiet)
    with pytest.raises(ValidationError, match="consent to keep"):
        services.gather_story(facilitator, title="N", text=TOLD, consent_keep=False)


def test_withdrawing_consent_removes_the_story_everywhere(client, published, facilitator):
    audio_path = published.audio.path
    public = reverse("community:story", args=[published.pk])
    assert client.get(public).status_code == 200
    assert "paid to carry" in client.get(reverse("community:stories") + "?q=carry").content.decode()

    client.force_login(facilitator)
    assert client.post(reverse("engagement:story_withdraw", args=[published.pk]),
                       {"reason": "Phoned the facilitator"}).status_code == 302
    export = client.get(reverse("engagement:stories_export")).content.decode()
    staff_search = client.get(reverse("engagement:stories") + "?q=carry").content.decode()
    client.logout()

    assert client.get(public).status_code == 404
    for url in (reverse("community:stories"), reverse("community:stories") + "?q=carry",
                reverse("community:home")):
        page = client.get(url).content.decode()
        assert "Paid to carry" not in page and "was paid to carry things" not in page
    assert "carry" not in export.lower()
    assert "Paid to carry" not in staff_search
    assert not list(selectors.published_stories()) and not selectors.export_rows()
    story = Story.objects.get(pk=published.pk)
    assert story.text == story.anonymised_text == "" and not story.audio
    import os

    assert not os.path.exists(audio_path)
    event = AuditEvent.objects.get(action="stories.consent_withdrawn")
    assert event.object_id == str(published.pk) and event.detail["audio_erased"] is True
    assert event.detail["reason"] == "Phoned the facilitator"


def test_reading_a_story_as_told_is_audited_and_flags_what_may_identify(client, facilitator):
    story = services.gather_story(facilitator, title="Told", text=TOLD, consent_keep=True)
    client.force_login(facilitator)
    page = client.get(reverse("engagement:story", args=[story.pk])).content.decode()
    assert "Jamal" in page and "may be a name" in page and "names a school" in page
    assert AuditEvent.objects.filter(action="stories.viewed", object_id=str(story.pk)).exists()


def test_flags_names_schools_and_places():
    found = {(f.text, f.why) for f in flags(TOLD, place_names=["Carlton"])}
    assert ("Jamal", "may be a name") in found
    assert ("Academy", "names a school or place") in found
    assert ("Carlton", "a place name") in found
    assert not any(f.text == "My" for f in flags(TOLD))


@given(st.text(alphabet="abcdefgh .,!?", max_size=200))
def test_lower_case_text_is_never_flagged(text):
    assert flags(text) == []


@given(st.text(max_size=300), st.lists(st.text(min_size=3, max_size=10), max_size=5))
def test_flags_point_at_the_text_they_quote(text, places):
    for f in flags(text, places):
        assert text[f.start:f.end] == f.text


def test_the_recording_is_only_for_reviewers_and_audited(client, published, facilitator,
                                                         make_user):
    client.force_login(facilitator)
    response = client.get(reverse("engagement:story_audio", args=[published.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"ID3fake"
    assert AuditEvent.objects.filter(action="stories.audio_played").count() == 1
    client.force_login(make_user(Role.ANALYST))
    assert client.get(reverse("engagement:story_audio", args=[published.pk])).status_code == 403


def test_a_refused_publish_says_why_and_goes_back_to_the_story(client, facilitator):
    story = services.gather_story(facilitator, title="Unreviewed", text="As told",
                                  consent_keep=True, consent_publish=True)
    client.force_login(facilitator)
    response = client.post(reverse("engagement:story_publish", args=[story.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("engagement:story", args=[story.pk])
    assert "published only after its anonymisation review" in response.content.decode()
    story.refresh_from_db()
    assert story.status == story.Status.GATHERED


def test_the_story_export_opens_safely_in_a_spreadsheet(client, facilitator):
    story = services.gather_story(facilitator, title="=cmd|' /C calc'!A0", text="@SUM(1+1)",
                                  consent_keep=True, consent_share=True)
    services.review_story(facilitator, story, anonymised_text="=1+1 and more")
    client.force_login(facilitator)
    export = client.get(reverse("engagement:stories_export")).content.decode()
    rows = list(csv.reader(export.splitlines()))
    assert rows[1][0] == "'=cmd|' /C calc'!A0" and rows[1][1].startswith("'=1+1")
