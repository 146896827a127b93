"""Properties of the services behind the engagement forms (stories, events, harvests, coding
frames, community groups, residents asking to join one and residents' community reports), for
anything the forms can send:
each call does all it says or refuses with a message keyed to a field of the form, writing
nothing and auditing nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from soclocal.engagement import forms, services
from soclocal.engagement.models import (
    Action,
    Code,
    CodingFrame,
    Event,
    Insight,
    JoinRequest,
    Meeting,
    Member,
    Priority,
    PriorityBallot,
    Story,
    ThemeOutput,
)
from soclocal.intelligence.models import Submission
from tests.properties import (
    PAGE,
    PROPERTY,
    dates,
    post_is_handled,
    posts,
    text,
    typed,
    written,
)

pytestmark = pytest.mark.django_db


def keyed_to(refusal, form):
    keys = set(refusal.message_dict) if hasattr(refusal, "error_dict") else {None}
    assert keys <= set(form.fields) | {"__all__", None}, keys
    assert refusal.messages and all(m.strip() for m in refusal.messages)


@pytest.fixture
def facilitator(make_user):
    return make_user(Role.COMMUNITY_FACILITATOR)


@pytest.fixture
def cafe(facilitator):
    return services.create_event(
        facilitator, kind=Event.Kind.WORLD_CAFE, title="Spring café",
        date=datetime.date(2025, 4, 2), tables=4, rounds=3, questions="Who do you trust?")


@pytest.fixture
def group(facilitator):
    return services.create_group(facilitator, name="Estate group")


NUMBER = st.one_of(st.integers(-5, 60), st.sampled_from([2**31 - 1, 2**31, 10**12]))


# Stories ------------------------------------------------------------------------------------

@PROPERTY
@given(title=typed(200), body=typed(), tags=typed(300), keep=st.booleans(),
       share=st.booleans(), publish=st.booleans(), anonymised=typed())
def test_a_story_is_kept_and_reviewed_as_told_or_refused_with_nothing_kept(
        facilitator, title, body, tags, keep, share, publish, anonymised):
    before = written(Story)
    try:
        story = services.gather_story(facilitator, title=title, text=body, tags=tags,
                                      consent_keep=keep, consent_share=share,
                                      consent_publish=publish)
    except ValidationError as refusal:
        keyed_to(refusal, forms.StoryForm())
        assert written(Story) == before
        return
    assert keep and title.strip() and body.strip() and len(title.strip()) <= 200
    saved = Story.objects.get(pk=story.pk)
    assert (saved.title, saved.text, saved.consent_publish) == (title.strip(), body.strip(),
                                                                publish)
    was = written(Story)
    try:
        services.review_story(facilitator, saved, anonymised_text=anonymised)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ReviewForm())
        assert written(Story) == was
        assert Story.objects.get(pk=story.pk).status == saved.status
        return
    assert Story.objects.get(pk=story.pk).anonymised_text == anonymised.strip() != ""


# Events, harvests and coding frames ---------------------------------------------------------

@PROPERTY
@given(kind=st.sampled_from(Event.Kind.values + ["", "rave"]), title=typed(200),
       day=dates(), place=typed(200), tables=NUMBER, rounds=NUMBER, people=NUMBER)
def test_an_event_is_created_as_given_or_refused_with_nothing_kept(
        facilitator, kind, title, day, place, tables, rounds, people):
    before = written(Event)
    try:
        event = services.create_event(facilitator, kind=kind, title=title, date=day,
                                      place=place, tables=tables, rounds=rounds,
                                      community_representatives=people)
    except ValidationError as refusal:
        keyed_to(refusal, forms.EventForm())
        assert written(Event) == before
        return
    assert kind in Event.Kind.values and title.strip() and tables >= 0 and people >= 0
    saved = Event.objects.get(pk=event.pk)
    assert (saved.kind, saved.title, saved.date, saved.tables, saved.community_representatives
            ) == (kind, title.strip(), day, tables, people)


@PROPERTY
@given(lines=st.lists(typed(300), max_size=5), table=st.one_of(st.none(), st.integers(1, 50)),
       question=st.sampled_from(["", "Who do you trust?"]))
def test_a_harvest_keeps_one_insight_a_line_or_refuses_with_nothing_kept(
        facilitator, cafe, lines, table, question):
    body = "\n".join(lines)
    before = written(Insight)
    try:
        made = services.harvest(facilitator, cafe, text=body, table=table, question=question)
    except ValidationError as refusal:
        keyed_to(refusal, forms.HarvestForm(event=cafe))
        assert written(Insight) == before
        return
    expected = [line.strip(" -•\t") for line in body.splitlines() if line.strip(" -•\t")]
    assert [i.text for i in made] == expected
    assert written(Insight) == (before[0] + len(expected), before[1] + 1)


@PROPERTY
@given(name=typed(200), labels=st.lists(typed(200), max_size=4))
def test_a_coding_frame_is_made_with_its_codes_or_refused(facilitator, name, labels):
    CodingFrame.objects.filter(name=name.strip()).delete()  # each example starts afresh
    form = forms.FrameForm({"name": name, "labels": "\n".join(labels)})
    if not form.is_valid():
        return
    before = written(CodingFrame)
    try:
        frame = services.create_frame(facilitator, name=form.cleaned_data["name"],
                                      labels=form.cleaned_data["labels"].splitlines())
    except ValidationError as refusal:
        keyed_to(refusal, form)
        assert written(CodingFrame) == before
        return
    codes = [c.strip() for c in form.cleaned_data["labels"].splitlines() if c.strip()]
    assert list(frame.codes.values_list("label", flat=True)) == list(dict.fromkeys(codes))
    # The same name again is refused beside the name.
    with pytest.raises(ValidationError) as again:
        services.create_frame(facilitator, name=frame.name, labels=["One"])
    assert list(again.value.message_dict) == ["name"]


# A community group --------------------------------------------------------------------------

@PROPERTY
@given(what=st.sampled_from(["member", "meeting", "priority"]), name=typed(100),
       day=dates(), attended=NUMBER, notes=text(100))
def test_a_group_record_is_added_as_given_or_refused(facilitator, group, what, name, day,
                                                     attended, notes):
    fields = {"member": {"name": name}, "priority": {"title": name},
              "meeting": {"date": day, "attended": attended, "notes": notes}}[what]
    model = {"member": Member, "meeting": Meeting, "priority": Priority}[what]
    before = written(model)
    try:
        record = services.add_to_group(facilitator, group, what, **fields)
    except ValidationError as refusal:
        form = {"member": forms.MemberForm, "priority": forms.PriorityForm,
                "meeting": forms.MeetingForm}[what]()
        keyed_to(refusal, form)
        assert written(model) == before
        return
    saved = model.objects.get(pk=record.pk)
    for field, value in fields.items():
        # A name or title is kept without the blanks around it, and is never only blanks.
        assert getattr(saved, field) == (value.strip() if field in ("name", "title")
                                         else value)
    assert what == "meeting" or name.strip()


@PROPERTY
@given(name=typed(100), contact=st.sampled_from(
    ["", "sam@example.org", "SAM@EXAMPLE.ORG", "07700 900982", "+44 7700 900982", "@", "123",
     "sam@", "0770090098212345", "٠٧٧٠٠٩٠٠٩٨٢"]), message=typed(1000))
def test_a_residents_request_to_join_is_kept_or_refused_with_nothing_kept(group, name,
                                                                          contact, message):
    JoinRequest.objects.all().delete()  # the hourly limits count from empty each time
    before = written(JoinRequest)
    try:
        request = services.ask_to_join(group, name=name, contact=contact, message=message)
    except ValidationError as refusal:
        keyed_to(refusal, forms.JoinForm())
        assert written(JoinRequest) == before
        return
    saved = JoinRequest.objects.get(pk=request.pk)
    assert saved.name == " ".join(name.split())[:100] and saved.contact
    assert saved.message == message.strip()[:1000]


# Through the pages --------------------------------------------------------------------------

@PAGE
@given(data=st.data())
def test_posting_anything_to_the_new_event_page_creates_it_or_shows_it_again(facilitator,
                                                                            client, data):
    client.force_login(facilitator)
    post_is_handled(client, reverse("engagement:event_new"), data.draw(posts(
        forms.EventForm())), models=(Event,))


@PAGE
@given(data=st.data())
def test_posting_anything_to_a_group_adds_it_or_shows_it_again(facilitator, group, client,
                                                               data):
    client.force_login(facilitator)
    what = data.draw(st.sampled_from(["member", "meeting", "priority"]))
    form = getattr(forms, {"member": "MemberForm", "meeting": "MeetingForm",
                           "priority": "PriorityForm"}[what])(prefix=what)
    post_is_handled(client, reverse("engagement:group", args=[group.pk]),
                    data.draw(posts(form, fixed={"what": what})),
                    models=(Member, Meeting, Priority), form_key=lambda c: c["forms"][what])


# Regressions --------------------------------------------------------------------------------

def test_a_coding_frame_whose_name_is_taken_is_refused_beside_the_name(facilitator, client):
    services.create_frame(facilitator, name="Safety", labels=["Lighting"])
    client.force_login(facilitator)
    response = client.post(reverse("engagement:frame_new"),
                           {"name": "Safety", "labels": "Parks\nBuses"})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["name"] and "already" in form.errors["name"][0]
    assert "Parks" in response.content.decode()


def test_every_reason_an_event_is_refused_is_shown_beside_its_box(facilitator, client):
    client.force_login(facilitator)
    response = client.post(reverse("engagement:event_new"), {
        "kind": "world_cafe", "title": "Café", "date": "2025-04-02", "tables": "3",
        "rounds": "2", "community_representatives": str(2**31),
        "agency_participants": str(2**31), "justice_partners": "0"})
    assert response.status_code == 200 and not Event.objects.exists()
    errors = response.context["form"].errors
    assert {"community_representatives", "agency_participants"} <= set(errors)
    # A title of blanks is no title, even from a caller that does not strip it.
    with pytest.raises(ValidationError) as refusal:
        services.create_event(facilitator, kind="world_cafe", title="   ",
                              date=datetime.date(2025, 4, 2))
    assert list(refusal.value.message_dict) == ["title"]


def test_a_code_too_long_for_the_frame_is_refused_not_cut_short(facilitator):
    with pytest.raises(ValidationError) as refusal:
        services.create_frame(facilitator, name="Long", labels=["Parks", "y" * 201])
    assert list(refusal.value.message_dict) == ["labels"]
    assert not CodingFrame.objects.filter(name="Long").exists()


# Withdrawing consent and answering a request to join -----------------------------------------

@PROPERTY
@given(reason=st.one_of(typed(300), st.sampled_from([None, 3])))
def test_consent_is_withdrawn_with_the_reason_given_or_refused_unchanged(facilitator, reason):
    story = services.gather_story(facilitator, title="The bus stop", text="It was late.",
                                  consent_keep=True)
    before = written(Story)
    try:
        services.withdraw_consent(facilitator, story, reason=reason)
    except ValidationError as refusal:
        keyed_to(refusal, forms.WithdrawForm())
        assert written(Story) == before
        assert Story.objects.get(pk=story.pk).status != Story.Status.WITHDRAWN
        return
    saved = Story.objects.get(pk=story.pk)
    assert saved.status == Story.Status.WITHDRAWN and saved.text == ""
    event = AuditEvent.objects.filter(action="stories.consent_withdrawn").latest("pk")
    assert event.detail["reason"] == (reason or "").strip()


@PROPERTY
@given(answer=st.sampled_from(JoinRequest.Answer.values + ["", "maybe", None]),
       note=st.one_of(typed(500), st.sampled_from([None, 3])))
def test_a_join_request_is_answered_as_given_or_refused_beside_the_box(facilitator, group,
                                                                      answer, note):
    JoinRequest.objects.all().delete()
    asked = services.ask_to_join(group, name="Sam Lee", contact="sam@example.org", message="")
    before = written(JoinRequest, Member)
    try:
        services.answer_join_request(facilitator, asked, answer=answer, note=note)
    except ValidationError as refusal:
        keyed_to(refusal, forms.JoinAnswerForm())
        assert written(JoinRequest, Member) == before
        assert JoinRequest.objects.get(pk=asked.pk).answer == ""
        return
    saved = JoinRequest.objects.get(pk=asked.pk)
    assert (saved.answer, saved.answer_note) == (answer, (note or "").strip())


def test_a_withdrawal_or_answer_too_long_is_refused_beside_its_box(facilitator, group):
    story = services.gather_story(facilitator, title="The bus stop", text="It was late.",
                                  consent_keep=True)
    with pytest.raises(ValidationError) as refusal:
        services.withdraw_consent(facilitator, story, reason="r" * 301)
    assert list(refusal.value.message_dict) == ["reason"]
    asked = services.ask_to_join(group, name="Sam Lee", contact="sam@example.org", message="")
    for answer, note, box in (("maybe", "", "answer"), (JoinRequest.Answer.values[0],
                                                        "n" * 501, "note")):
        with pytest.raises(ValidationError) as refusal:
            services.answer_join_request(facilitator, asked, answer=answer, note=note)
        assert list(refusal.value.message_dict) == [box]


@PROPERTY
@given(has_theme=st.booleans(),
       resonance=st.sampled_from([1, 3, 5, 0, 6, "4", "abc", "", None, 2.5, True]),
       more_of=st.one_of(typed(), st.sampled_from([None, 3])), less_of=typed())
def test_a_theme_output_is_saved_as_given_or_refused_beside_the_box(facilitator, cafe,
                                                                    has_theme, resonance,
                                                                    more_of, less_of):
    theme = Code.objects.order_by("pk").first()
    assert theme is not None
    before = written(ThemeOutput)
    try:
        output = services.save_theme_output(facilitator, cafe, theme if has_theme else None,
                                            resonance=resonance, more_of=more_of,
                                            less_of=less_of)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ThemeOutputForm())
        assert written(ThemeOutput) == before
        return
    saved = ThemeOutput.objects.get(pk=output.pk)
    assert (saved.theme, saved.resonance, saved.more_of, saved.less_of) == (
        theme, int(resonance), more_of, less_of)
    assert str(resonance) in "12345" and not isinstance(resonance, bool)


def test_a_resonance_that_is_not_a_whole_number_is_refused_beside_its_box(facilitator, cafe):
    for resonance in ("abc", None, 2.5):
        with pytest.raises(ValidationError) as refusal:
            services.save_theme_output(facilitator, cafe, Code.objects.first(),
                                       resonance=resonance)
        assert list(refusal.value.message_dict) == ["resonance"]


# A group's actions and its members' rankings of its priorities ------------------------------

@pytest.fixture
def priorities(facilitator, group):
    """The group's three priorities, and one of another group's."""
    ours = [services.add_to_group(facilitator, group, "priority", title=t)
            for t in ("Lighting", "Buses", "Youth club")]
    other = services.create_group(facilitator, name="Another group")
    return ours, services.add_to_group(facilitator, other, "priority", title="Parks")


@PROPERTY
@given(description=st.one_of(typed(300), st.sampled_from([None, 3])),
       which=st.sampled_from(["none", "ours", "theirs", "a number"]))
def test_a_group_action_is_added_as_given_or_refused_with_nothing_kept(
        facilitator, group, priorities, description, which):
    ours, theirs = priorities
    priority = {"none": None, "ours": ours[1], "theirs": theirs, "a number": ours[1].pk}[which]
    before = written(Action)
    try:
        action = services.add_to_group(facilitator, group, "action", description=description,
                                       priority=priority)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ActionForm(group=group))
        assert written(Action) == before
        return
    assert which in ("none", "ours")
    saved = group.actions.get(pk=action.pk)
    assert (saved.description, saved.priority, saved.status) == (
        str(description).strip(), priority, Action.Status.PLANNED)
    assert saved.description


@PROPERTY
@given(ranking=st.lists(st.one_of(st.sampled_from(["ours0", "ours1", "ours2", "theirs"]),
                                  st.sampled_from([0, -1, 10**9, "1", None, True, 2.5])),
                        max_size=5))
def test_a_ranking_is_counted_as_given_or_refused_with_nothing_kept(facilitator, group,
                                                                    priorities, ranking):
    ours, theirs = priorities
    named = {"ours0": ours[0].pk, "ours1": ours[1].pk, "ours2": ours[2].pk,
             "theirs": theirs.pk}
    ranking = [named.get(r, r) if isinstance(r, str) else r for r in ranking]
    before = written(PriorityBallot)
    try:
        ballot = services.cast_priority_ballot(facilitator, group, ranking)
    except ValidationError as refusal:
        keyed_to(refusal, forms.RankingForm(group=group))
        assert written(PriorityBallot) == before
        return
    ids = [p.pk for p in ours]
    assert ranking and len(set(ranking)) == len(ranking)
    assert all(type(r) is int and r in ids for r in ranking)
    assert group.ballots.get(pk=ballot.pk).ranking == ranking


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_group_action_adds_it_or_shows_it_again(facilitator, group,
                                                                      priorities, client, data):
    client.force_login(facilitator)
    post_is_handled(client, reverse("engagement:group", args=[group.pk]),
                    data.draw(posts(forms.ActionForm(group=group, prefix="action"),
                                    fixed={"what": "action"})),
                    models=(Action,), form_key=lambda c: c["forms"]["action"])


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_ranking_counts_it_or_shows_it_again(facilitator, group,
                                                                   priorities, client, data):
    client.force_login(facilitator)
    post_is_handled(client, reverse("engagement:group", args=[group.pk]),
                    data.draw(posts(forms.RankingForm(group=group, prefix="ranking"),
                                    fixed={"what": "ranking"})),
                    models=(PriorityBallot,), form_key=lambda c: c["forms"]["ranking"])


def test_an_action_of_blanks_or_for_another_groups_priority_is_refused_beside_its_box(
        facilitator, group, priorities):
    _ours, theirs = priorities
    with pytest.raises(ValidationError) as refusal:
        services.add_to_group(facilitator, group, "action", description="   ")
    assert list(refusal.value.message_dict) == ["description"]
    with pytest.raises(ValidationError) as refusal:
        services.add_to_group(facilitator, group, "action", description="Walk the estate",
                              priority=theirs)
    assert list(refusal.value.message_dict) == ["priority"]
    with pytest.raises(ValidationError) as refusal:
        services.add_to_group(facilitator, group, "member", name=" \t ")
    assert list(refusal.value.message_dict) == ["name"]
    assert not group.actions.exists() and not group.members.exists()


def test_a_ranking_of_anything_but_the_priorities_ids_is_not_counted(facilitator, group,
                                                                    priorities):
    ours, _theirs = priorities
    for ranking in ([True], [float(ours[0].pk)], [str(ours[0].pk)]):
        with pytest.raises(ValidationError):
            services.cast_priority_ballot(facilitator, group, ranking)
    assert not group.ballots.exists()


# A community group --------------------------------------------------------------------------

def careful_words(most, min_size=1):
    return text(min(most, 120), min_size=min_size).filter(lambda s: s.strip() or not min_size)


@PROPERTY
@given(careful=st.booleans(), data=st.data())
def test_a_community_group_is_made_as_named_or_refused_with_nothing_kept(facilitator, careful,
                                                                        data):
    from soclocal.engagement.models import CommunityGroup

    if careful:
        fields = data.draw(st.fixed_dictionaries({
            "name": careful_words(200), "name_cy": careful_words(200, 0),
            "description": careful_words(2000, 0), "description_cy": careful_words(2000, 0)}))
    else:
        odd = st.sampled_from([None, 5])
        fields = data.draw(st.fixed_dictionaries({
            "name": st.one_of(typed(200), odd), "name_cy": st.one_of(typed(200), odd),
            "description": st.one_of(typed(), odd), "description_cy": typed()}))
    before = written(CommunityGroup)
    try:
        group = services.create_group(facilitator, **fields)
    except ValidationError as refusal:
        event("refused")
        keyed_to(refusal, forms.GroupForm())
        assert written(CommunityGroup) == before
        return
    event("kept")
    saved = CommunityGroup.objects.get(pk=group.pk)
    for name, value in fields.items():
        assert getattr(saved, name) == (value.strip() if isinstance(value, str) else ""), name
    assert saved.name and list(saved.facilitators.all()) == [facilitator]


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_new_group_makes_it_or_shows_it_again(facilitator, client, data):
    from soclocal.engagement.models import CommunityGroup

    client.force_login(facilitator)
    form = forms.GroupForm()
    careful = st.fixed_dictionaries({"csrfmiddlewaretoken": st.just("token"),
                                     "name": careful_words(200),
                                     "description": careful_words(2000, 0)})
    post = data.draw(careful if data.draw(st.booleans()) else posts(form))
    before = CommunityGroup.objects.count()
    _response, taken = post_is_handled(client, reverse("engagement:groups"), post,
                                       models=(CommunityGroup,))
    event("kept" if taken else "refused")
    if taken:
        made = CommunityGroup.objects.latest("pk")
        assert CommunityGroup.objects.count() == before + 1
        assert made.name == post["name"].strip()


def test_a_group_named_with_blanks_or_too_long_is_refused_beside_the_name(facilitator, client):
    from soclocal.engagement.models import CommunityGroup

    for fields, box in (({"name": "   "}, "name"), ({"name": None}, "name"),
                        ({"name": "Estate", "name_cy": "y" * 201}, "name_cy"),
                        ({"name": "Estate", "description": 5}, "description")):
        with pytest.raises(ValidationError) as refusal:
            services.create_group(facilitator, **fields)
        assert list(refusal.value.message_dict) == [box]
    assert not CommunityGroup.objects.exists()
    made = services.create_group(facilitator, name=" Estate ", description=" Walks\n")
    assert (made.name, made.description) == ("Estate", "Walks")


# A resident's community report --------------------------------------------------------------
# A report goes to the force's intelligence officers (intelligence/services.py); the form is
# on the public pages.

REPORT = forms.CommunityReportForm()
REPORT_TEXT = ("what", "where", "when", "who", "identifying", "contact_name")
HOW_KNOWN = [k for k, _label in REPORT.fields["how_known"].choices if k]
CONTACTS = ["", "sam@example.org", " SAM@EXAMPLE.ORG ", "07700 900982", "+44 7700 900982",
            "@", "123", "sam@", "0770090098212345", "٠٧٧٠٠٩٠٠٩٨٢"]


def careful_report():
    return st.fixed_dictionaries({
        "what": careful_words(5000), "where": careful_words(300), "when": careful_words(200),
        "who": careful_words(3000, 0), "identifying": careful_words(2000, 0),
        "how_known": st.sampled_from([""] + HOW_KNOWN),
        "urgency": st.sampled_from(Submission.Urgency.values),
        "child_at_risk": st.booleans(), "adult_at_risk": st.booleans(),
        "contact_name": careful_words(100, 0), "contact": st.sampled_from(CONTACTS[:5])})


def any_report():
    odd = st.sampled_from([None, 5])
    return st.fixed_dictionaries({
        **{name: st.one_of(typed(REPORT.fields[name].max_length), odd) for name in REPORT_TEXT},
        "how_known": st.sampled_from(["", None, "records", "rumour"] + HOW_KNOWN),
        "urgency": st.sampled_from(Submission.Urgency.values + ["", "soon", None]),
        "child_at_risk": st.booleans(), "adult_at_risk": st.booleans(),
        "contact": st.one_of(st.sampled_from(CONTACTS), typed(254))})


@PROPERTY
@given(careful=st.booleans(), data=st.data())
def test_a_community_report_is_kept_as_told_or_refused_with_nothing_kept(org, careful, data):
    from soclocal.engagement.services import normalise_contact
    from soclocal.intelligence import services as intel

    Submission.objects.all().delete()  # the hourly limits count from empty each time
    fields = data.draw(careful_report() if careful else any_report())
    before = written(Submission)
    try:
        sent = intel.submit_community(client_address="203.0.113.9", **fields)
    except ValidationError as refusal:
        event("refused")
        keyed_to(refusal, REPORT)
        assert written(Submission) == before
        return
    event("kept")
    saved = Submission.objects.get(pk=sent.pk)
    for name in REPORT_TEXT:
        value = fields[name]
        assert getattr(saved, name) == (value.strip() if isinstance(value, str) else ""), name
    assert all(getattr(saved, name) for name in ("what", "where", "when"))
    assert (saved.how_known, saved.urgency, saved.child_at_risk, saved.adult_at_risk) == (
        fields["how_known"] or "", fields["urgency"], fields["child_at_risk"],
        fields["adult_at_risk"])
    assert saved.how_known in [""] + HOW_KNOWN
    contact = fields["contact"].strip()
    assert saved.contact == (normalise_contact(contact) if contact else "")
    assert saved.to_agency == org["police"] and saved.submitted_by is None


def _shown_at_least_a_minute_ago():
    import time

    from django.core import signing

    return signing.dumps(time.time() - 60, salt=forms.CommunityReportForm.SALT)


def report_post(fields):
    post = {"csrfmiddlewaretoken": "token", "website": "",
            "started": _shown_at_least_a_minute_ago()}
    for name, value in fields.items():
        if isinstance(value, bool):
            if value:
                post[name] = "on"
        else:
            post[name] = value
    return post


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_community_report_sends_it_or_shows_it_again(org, client, data):
    Submission.objects.all().delete()
    fixed = {"website": "", "started": _shown_at_least_a_minute_ago()}
    post = data.draw(careful_report().map(report_post) if data.draw(st.booleans())
                     else posts(REPORT, fixed=fixed))
    _response, taken = post_is_handled(client, reverse("community:tell_us"), post,
                                       models=(Submission,), refused=(400,))
    event("kept" if taken else "refused")
    assert Submission.objects.count() == taken
    if taken:
        sent = Submission.objects.get()
        assert (sent.what, sent.where, sent.when) == tuple(
            post[name].strip() for name in ("what", "where", "when"))


def test_a_community_report_in_welsh_is_refused_or_sent_in_welsh(org, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    fields = {"what": "Ceir yn gyrru'n gyflym", "where": "Stryd Fawr", "when": "Bob nos",
              "how_known": "saw", "urgency": "routine", "contact": "123"}
    url = reverse("community:tell_us")
    response, taken = post_is_handled(client, url, report_post(fields), models=(Submission,),
                                      refused=(400,))
    assert not taken and '<html lang="cy"' in response.content.decode()
    assert list(response.context["form"].errors) == ["contact"]
    response, taken = post_is_handled(client, url, report_post({**fields, "contact": ""}),
                                      models=(Submission,), refused=(400,))
    assert taken and Submission.objects.get().language == "cy"


def test_a_report_with_nothing_said_or_a_way_of_knowing_not_offered_is_refused(org):
    from soclocal.intelligence import services as intel

    whole = {"what": "Cars racing", "where": "High Street", "when": "Most nights"}
    for change, box in (({"what": None}, "what"), ({"when": 5}, "when"),
                        ({"how_known": "records"}, "how_known")):
        with pytest.raises(ValidationError) as refusal:
            intel.submit_community(**{**whole, **change})
        assert list(refusal.value.message_dict) == [box]
    assert not Submission.objects.exists()
