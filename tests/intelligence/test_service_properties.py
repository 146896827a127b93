"""Properties of the services behind the intelligence forms, for anything the forms can send:
each call does all it says, read back through the selectors, or refuses with a message keyed
to a field of the form and writes nothing, not even an audit event."""

import json
from itertools import count

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from hypothesis import event, given
from hypothesis import strategies as st

from soclocal.core.imports import ImportFailed
from soclocal.intelligence import bulk, forms, selectors, services
from soclocal.intelligence.models import (
    Entity,
    IntelligenceReport,
    Link,
    Merge,
    PairReview,
    Release,
    SanitisedVersion,
    Source,
    Submission,
)
from tests.properties import PAGE, PROPERTY, dates, post_is_handled, posts, text, typed, written

pytestmark = pytest.mark.django_db


def keyed_to(refusal, form):
    keys = set(refusal.message_dict) if hasattr(refusal, "error_dict") else {None}
    assert keys <= set(form.fields) | {"__all__", None}, keys
    assert refusal.messages and all(m.strip() for m in refusal.messages)


# An entity ----------------------------------------------------------------------------------

COORDINATE = st.one_of(st.none(), st.sampled_from([0.0, -0.0, 90.0, -90.0, 180.0, -180.0]),
                       st.floats(-90, 90, allow_nan=False))


@PROPERTY
@given(kind=st.sampled_from(Entity.Kind.values + ["", "spaceship"]),
       forenames=typed(200), surname=typed(200), name=typed(300), postcode=typed(10),
       address=text(200), latitude=COORDINATE, longitude=COORDINATE,
       date_of_birth=st.one_of(st.none(), dates()), ocg=st.booleans())
def test_an_entity_is_recorded_as_given_or_refused_with_nothing_kept(
        people, report, kind, forenames, surname, name, postcode, address, latitude, longitude,
        date_of_birth, ocg):
    form = forms.EntityForm({"kind": kind, "forenames": forenames, "surname": surname,
                             "name": name, "postcode": postcode, "address": address,
                             "latitude": "" if latitude is None else repr(latitude),
                             "longitude": "" if longitude is None else repr(longitude),
                             "date_of_birth": date_of_birth.isoformat() if date_of_birth
                             else "", "organised_crime_group": "on" if ocg else ""})
    if not form.is_valid():
        return
    data = dict(form.cleaned_data)
    before = written(Entity)
    try:
        entity = services.create_entity(people["intel"], data.pop("kind"), report=report,
                                        **services.given(data))
    except ValidationError as refusal:
        keyed_to(refusal, form)
        assert written(Entity) == before
        return
    saved = selectors.get_entity(people["intel"], entity.pk)
    assert saved.kind == kind and report in saved.reports.all()
    # A coordinate of zero is a place like any other.
    assert (saved.latitude, saved.longitude) == (form.cleaned_data["latitude"],
                                                 form.cleaned_data["longitude"])
    assert saved.date_of_birth == form.cleaned_data["date_of_birth"]
    assert saved.organised_crime_group == (ocg and kind == Entity.Kind.ORGANISATION)
    assert written(Entity)[0] == before[0] + 1


@PROPERTY
@given(kind=st.sampled_from(Link.Kind.values + ["", "friend_of"]),
       start=st.one_of(st.none(), dates()), end=st.one_of(st.none(), dates()),
       same=st.booleans())
def test_a_link_is_recorded_as_given_or_refused_with_nothing_kept(people, report, kind, start,
                                                                  end, same):
    a = services.create_person(people["intel"], surname="Alpha")
    b = a if same else services.create_person(people["intel"], surname="Beta")
    before = written(Link)
    try:
        link = services.create_link(people["intel"], a, b, kind, start=start, end=end,
                                    report=report)
    except ValidationError as refusal:
        keyed_to(refusal, forms.LinkForm(entities=Entity.objects.none()))
        assert written(Link) == before
        return
    assert kind in Link.Kind.values and not same and not (start and end and end < start)
    saved = selectors.links_for(people["intel"]).get(pk=link.pk)
    assert (saved.from_entity, saved.to_entity, saved.kind, saved.start, saved.end) == (
        a, b, kind, start, end)


# A partner's submission and a graded report -------------------------------------------------

@PROPERTY
@given(what=typed(), where=typed(300), when=typed(200),
       how_known=st.sampled_from(Submission.HowKnown.values + ["", "rumour"]),
       urgency=st.sampled_from(Submission.Urgency.values + ["", "yesterday"]),
       child=st.booleans())
def test_a_submission_reaches_the_force_whole_or_is_refused_with_nothing_kept(
        people, what, where, when, how_known, urgency, child):
    form = forms.SubmissionForm()
    before = written(Submission)
    try:
        sent = services.submit(people["housing"], what=what, where=where[:300], when=when[:200],
                               how_known=how_known, urgency=urgency, child_at_risk=child)
    except ValidationError as refusal:
        keyed_to(refusal, form)
        assert written(Submission) == before
        return
    assert what.strip() and where.strip() and when.strip()
    assert how_known in Submission.HowKnown.values and urgency in Submission.Urgency.values
    mine = selectors.my_submissions(people["housing"]).get(pk=sent.pk)
    assert (mine.what, mine.where, mine.when) == (what.strip(), where[:300].strip(),
                                                  when[:200].strip())
    assert mine.to_agency.kind == "police"


GRADES = {"source_grade": st.sampled_from(["1", "2", "3", "", "4"]),
          "intelligence_grade": st.sampled_from(["A", "B", "C", "D", "E", "", "F"]),
          "handling": st.sampled_from(["P", "C", "", "X"]),
          "handling_conditions": typed(),
          "source_type": st.sampled_from(IntelligenceReport.SourceType.values + ["", "psychic"]),
          "outcome": st.sampled_from(IntelligenceReport.Outcome.values + ["", "shred"]),
          "outcome_reasons": typed(),
          "review_on": st.one_of(st.none(), dates())}


@PROPERTY
@given(title=typed(200), body=typed(), grades=st.fixed_dictionaries(GRADES))
def test_a_report_is_graded_as_given_or_refused_with_nothing_kept(people, title, body, grades):
    before = written(IntelligenceReport)
    try:
        made = services.create_report(people["intel"], title=title[:200], text=body, **grades)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ReportForm(sources=None))
        assert written(IntelligenceReport) == before
        return
    saved = selectors.get_report(people["intel"], made.pk)
    assert saved.title == title[:200] and saved.text == body
    assert (saved.source_grade, saved.intelligence_grade, saved.handling) == (
        grades["source_grade"], grades["intelligence_grade"], grades["handling"])
    if grades["handling"] == "C":
        assert saved.handling_conditions == grades["handling_conditions"].strip() != ""
    assert written(IntelligenceReport)[0] == before[0] + 1


# Through the pages --------------------------------------------------------------------------

@PAGE
@given(data=st.data())
def test_posting_anything_to_the_submit_page_sends_it_or_shows_it_again(people, client, data):
    client.force_login(people["housing"])
    post_is_handled(client, reverse("intelligence:submit"), data.draw(posts(
        forms.SubmissionForm())), models=(Submission,))


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_new_entity_records_it_or_shows_it_again(people, report, client,
                                                                       data):
    client.force_login(people["intel"])
    post = data.draw(posts(forms.EntityForm(prefix="entity"), fixed={"action": "create"}))
    post_is_handled(client, reverse("intelligence:report_entities", args=[report.pk]), post,
                    models=(Entity,), form_key="entity_form")


# Regressions --------------------------------------------------------------------------------

def test_an_address_on_the_equator_or_the_greenwich_meridian_keeps_its_point(people, report,
                                                                            client):
    client.force_login(people["intel"])
    response = client.post(reverse("intelligence:report_entities", args=[report.pk]), {
        "action": "create", "entity-kind": "address", "entity-address": "1 Meridian Way",
        "entity-latitude": "51.4779", "entity-longitude": "0"})
    assert response.status_code == 302
    page = Entity.objects.get(address="1 Meridian Way")
    assert (page.latitude, page.longitude) == (51.4779, 0.0)
    response = client.post("/api/v1/intelligence/entities", json.dumps({
        "kind": "address", "address": "Null Island", "latitude": 0, "longitude": 0}),
        content_type="application/json")
    assert response.status_code == 201, response.content
    api = Entity.objects.get(address="Null Island")
    assert (api.latitude, api.longitude) == (0.0, 0.0)


# A sanitised version ------------------------------------------------------------------------

@PROPERTY
@given(sanitised=st.one_of(typed(), st.sampled_from([None, 3, "Cars call at night",
                                                     "Mrs Example saw it"]),
                           text(60).map(lambda t: t + " MRS EXAMPLE")))
def test_a_sanitised_version_keeps_the_text_given_or_is_refused_with_nothing_kept(
        people, sourced_report, sanitised):
    before = written(SanitisedVersion)
    try:
        version = services.sanitise(people["intel"], sourced_report, text=sanitised)
    except ValidationError as refusal:
        keyed_to(refusal, forms.SanitiseForm())
        assert written(SanitisedVersion) == before
        return
    saved = SanitisedVersion.objects.get(pk=version.pk)
    assert saved.text == sanitised.strip() != ""
    assert "mrs example" not in saved.text.lower()
    assert (saved.source_grade, saved.handling) == (sourced_report.source_grade,
                                                    sourced_report.handling)


@pytest.fixture
def sourced_report(people, report):
    source = services.create_source(people["intel"], identity="Mrs Example")
    IntelligenceReport.objects.filter(pk=report.pk).update(source=source)
    report.refresh_from_db()
    return report


def test_a_sanitised_text_that_is_not_text_is_refused_beside_the_box(people, report):
    with pytest.raises(ValidationError) as refusal:
        services.sanitise(people["intel"], report, text=3)
    assert list(refusal.value.message_dict) == ["text"]


# A source -----------------------------------------------------------------------------------

@PROPERTY
@given(identity=st.one_of(typed(300), st.sampled_from([None, 3])), contact=typed(),
       notes=typed(), handlers=st.lists(st.sampled_from(["intel2", "housing", "youth"]),
                                        unique=True, max_size=2))
def test_a_source_is_registered_as_given_or_refused_with_nothing_kept(people, identity, contact,
                                                                     notes, handlers):
    before = written(Source)
    try:
        source = services.create_source(people["intel"], identity=identity, contact=contact,
                                        notes=notes, handlers=[people[h] for h in handlers])
    except ValidationError as refusal:
        keyed_to(refusal, forms.SourceForm(user=people["intel"]))
        assert written(Source) == before
        return
    saved = Source.objects.get(pk=source.pk)
    assert (saved.identity, saved.contact, saved.notes) == (identity.strip(), contact, notes)
    assert {h.username for h in saved.handlers.all()} == {"intel", *handlers}
    assert set(handlers) <= {"intel2"}


def test_a_source_with_no_identity_given_as_text_is_refused_beside_the_box(people):
    with pytest.raises(ValidationError) as refusal:
        services.create_source(people["intel"], identity=3)
    assert list(refusal.value.message_dict) == ["identity"]


# Releasing a sanitised version and withdrawing it -------------------------------------------

@pytest.fixture
def approved(people, report):
    version = services.sanitise(people["intel"], report, text="Cars call at night")
    return services.approve_sanitised(people["intel2"], version)


TEXT_OR_NOT = st.one_of(typed(300), st.sampled_from([None, 3]))


@PROPERTY
@given(to=st.sampled_from(["housing", "police", None]), purpose=TEXT_OR_NOT,
       agreed=st.booleans(), reason=TEXT_OR_NOT)
def test_a_release_is_made_and_withdrawn_as_given_or_refused_with_nothing_kept(
        people, org, approved, sharing_agreement, to, purpose, agreed, reason):
    Release.objects.all().delete()
    before = written(Release)
    try:
        shared = services.release(people["intel"], approved, agency=org.get(to),
                                  purpose=purpose,
                                  agreement=sharing_agreement if agreed else None)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ReleaseForm(owning_agency=people["intel"].agency))
        assert written(Release) == before
        return
    saved = Release.objects.get(pk=shared.pk)
    assert (saved.agency, saved.purpose) == (org["housing"], purpose.strip())
    was = written(Release)
    try:
        services.withdraw_release(people["intel"], saved, reason=reason)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ReasonForm())
        assert written(Release) == was
        assert Release.objects.get(pk=shared.pk).withdrawn_at is None
        return
    assert Release.objects.get(pk=shared.pk).withdrawn_reason == reason.strip()


def test_a_release_purpose_or_withdrawal_reason_not_given_as_text_is_refused_beside_it(
        people, org, approved, sharing_agreement):
    with pytest.raises(ValidationError) as refusal:
        services.release(people["intel"], approved, agency=org["housing"], purpose=3,
                         agreement=sharing_agreement)
    assert list(refusal.value.message_dict) == ["purpose"]
    shared = services.release(people["intel"], approved, agency=org["housing"],
                              purpose="Tenancy", agreement=sharing_agreement)
    with pytest.raises(ValidationError) as refusal:
        services.withdraw_release(people["intel"], shared, reason=3)
    assert list(refusal.value.message_dict) == ["reason"]


def test_a_release_purpose_longer_than_its_audit_record_takes_is_refused_beside_it(
        people, org, approved, sharing_agreement):
    with pytest.raises(ValidationError) as refusal:
        services.release(people["intel"], approved, agency=org["housing"], purpose="p" * 250,
                         agreement=sharing_agreement)
    assert list(refusal.value.message_dict) == ["purpose"]
    assert "200" in refusal.value.message_dict["purpose"][0]
    assert forms.ReleaseForm(owning_agency=people["intel"].agency).fields[
        "purpose"].max_length == services.RELEASE_PURPOSE_LIMIT


# Deciding whether two records are one person ------------------------------------------------

@pytest.fixture
def pair(people):
    """Two records that may be one person, and a third that one of them may be merged into."""
    a = services.create_person(people["intel"], forenames="Sam", surname="Lee")
    b = services.create_person(people["intel"], forenames="Samuel", surname="Lee")
    c = services.create_person(people["intel"], forenames="S", surname="Lee")
    return a, b, c


@PROPERTY
@given(decision=st.sampled_from(["same", "not_same", "unsure", "", "maybe", None]),
       survivor=st.sampled_from(["a", "b", "c", None]), note=TEXT_OR_NOT,
       already=st.booleans())
def test_a_pair_is_decided_as_given_or_refused_with_nothing_kept(people, pair, decision,
                                                                survivor, note, already):
    a, b, c = pair
    Merge.objects.all().delete()
    PairReview.objects.all().delete()
    Entity.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(merged_into=None)
    a, b, c = (Entity.objects.get(pk=e.pk) for e in (a, b, c))
    if already:
        services.merge_people(people["intel"], c, b)
        b.refresh_from_db()
    keep = {"a": a, "b": b, "c": c, None: None}[survivor]
    before = written(PairReview, Merge) + (tuple(Entity.objects.order_by("pk").values_list(
        "merged_into", flat=True)),)
    form = forms.PairReviewForm(left=a, right=b)
    try:
        review = services.review_pair(people["intel"], a, b, decision, note=note,
                                      survivor=keep)
    except ValidationError as refusal:
        keyed_to(refusal, form)
        assert written(PairReview, Merge) + (tuple(Entity.objects.order_by("pk").values_list(
            "merged_into", flat=True)),) == before
        return
    assert decision in PairReview.Decision.values
    saved = selectors.reviews_for(people["intel"]).get(pk=review.pk)
    assert (saved.left, saved.right, saved.decision, saved.note) == (
        a, b, decision, (note or "").strip())
    merges = Merge.objects.filter(review=review)
    if decision == "same":
        assert not already and survivor in ("a", "b", None)
        merge = merges.get()
        assert merge.survivor == (keep or a)
        assert merge.merged == (b if merge.survivor == a else a)
        assert Entity.objects.get(pk=merge.merged.pk).merged_into == merge.survivor
    else:
        assert not merges.exists()


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_pair_decision_records_it_or_shows_it_again(people, pair, client,
                                                                          data):
    a, b, _c = pair
    client.force_login(people["intel"])
    post_is_handled(client, reverse("intelligence:pair", args=[a.pk, b.pk]), data.draw(posts(
        forms.PairReviewForm(left=a, right=b))), models=(PairReview, Merge))


def test_a_pair_decision_with_a_note_not_given_as_text_is_refused_beside_the_note(people,
                                                                                 pair):
    a, b, _c = pair
    with pytest.raises(ValidationError) as refusal:
        services.review_pair(people["intel"], a, b, "same", note=3)
    assert list(refusal.value.message_dict) == ["note"]
    assert not PairReview.objects.exists() and not Merge.objects.exists()


# A bulk upload's columns matched to our fields --------------------------------------------

HEADER = ["ID", "First", "Last", "DOB", "Post code", "Phone", "Notes"]
# A note longer than a name's or a reference's column, for a mapping that puts it there.
NOTE = "Seen at the bus station with two older men " * 6
UPLOADS = count(1)


def nominals():
    """A file of two people whose references no earlier example has used."""
    n = next(UPLOADS)
    rows = [HEADER, [f"N{n}a", "Jo", "Lee", "2001-03-04", "ng1 1aa", "07700 900123", NOTE],
            [f"N{n}b", "Sam", " Kay ", "31/12/1999", "", "", "Café"]]
    return rows, "\n".join(",".join(r) for r in rows).encode()


def mapping_form():
    return forms.ColumnMappingForm(fields=bulk.PEOPLE_FIELDS, required=bulk.PEOPLE_REQUIRED,
                                   header=HEADER)


# Mostly as an officer matches the columns (perhaps leaving some out), else anything.
CAREFUL_MAPPING = st.fixed_dictionaries(
    {"reference": st.just("ID"), "forenames": st.just("First"), "surname": st.just("Last"),
     "date_of_birth": st.just("DOB")},
    optional={"postcode": st.just("Post code"), "phone": st.just("Phone"),
              "address": st.sampled_from(["Notes", "Post code"])})
ANY_MAPPING = st.fixed_dictionaries({}, optional={
    field: st.sampled_from(HEADER + ["", "Not a column", "id"]) for field in bulk.PEOPLE_FIELDS})
MAPPINGS = st.one_of(CAREFUL_MAPPING, CAREFUL_MAPPING, ANY_MAPPING)


@PROPERTY
@given(mapping=MAPPINGS)
def test_a_bulk_upload_is_imported_as_its_columns_are_matched_or_refused(people, mapping):
    rows, content = nominals()
    before = written(Entity)
    try:
        services.import_bulk(people["intel"], people=(content, "nominals.csv"),
                             mapping_people=mapping)
    except ImportFailed as failure:
        assert failure.errors and {p.field for p in failure.errors} <= \
            set(mapping_form().fields) | {""}, [p.field for p in failure.errors]
        assert written(Entity) == before
        event("refused")
        return
    except ValidationError as refusal:
        keyed_to(refusal, mapping_form())
        assert written(Entity) == before
        event("refused")
        return
    event("kept")
    assert set(bulk.PEOPLE_REQUIRED) <= set(mapping)
    column = {field: HEADER.index(name) for field, name in mapping.items()}
    for row in rows[1:]:
        person = Entity.objects.get(reference=row[column["reference"]].strip())
        for field in ("forenames", "surname", "address", "source"):
            assert getattr(person, field) == (row[column[field]].strip() if field in column
                                              else ""), field


@PAGE
@given(data=st.data())
def test_posting_any_column_matching_imports_it_or_shows_it_again(people, client, settings,
                                                                  tmp_path, data):
    settings.DATA_DIR = tmp_path
    client.force_login(people["intel"])
    _rows, content = nominals()
    url = reverse("intelligence:import")
    client.post(url, {"action": "upload", "kind": "people",
                      "file": SimpleUploadedFile("nominals.csv", content)})
    post = data.draw(st.one_of(posts(mapping_form(), fixed={"action": "import"}),
                               CAREFUL_MAPPING.map(lambda m: {"action": "import", **m})))
    before = written(Entity)
    response = client.post(url, post)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        event("kept")
        assert Entity.objects.count() == before[0] + 2
        return
    event("refused")
    assert written(Entity) == before
    assert response.context["mapping"].errors or response.context["problems"]
    html = response.content.decode()
    for field, column in post.items():
        if field in bulk.PEOPLE_FIELDS and column in HEADER:
            assert f'<option value="{escape(column)}" selected>' in html, field


def test_a_column_too_long_for_the_field_it_is_matched_to_is_refused_beside_it(people):
    _rows, content = nominals()
    with pytest.raises((ImportFailed, ValidationError)) as refusal:
        services.import_bulk(people["intel"], people=(content, "nominals.csv"), mapping_people={
            "reference": "ID", "forenames": "Notes", "surname": "Last",
            "date_of_birth": "DOB"})
    fields = ({p.field for p in refusal.value.errors} if isinstance(refusal.value, ImportFailed)
              else set(refusal.value.message_dict))
    assert fields == {"forenames"} and not Entity.objects.exists()
