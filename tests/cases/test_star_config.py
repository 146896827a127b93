"""Configuring outcomes stars: create, change until used, new versions, the active star,
and the licensed descriptors uploaded through the page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from soclocal.cases import selectors, services, star
from soclocal.cases.forms import InstrumentForm
from soclocal.cases.models import StarArea, StarInstrument, StarReading
from soclocal.core.models import AuditEvent

from .conftest import days_ago

STAGES = [{"name": "Low", "from": 0, "to": 2}, {"name": "Middle", "from": 3, "to": 4},
          {"name": "High", "from": 5, "to": 6}]


def make(actor, **extra):
    values = {"name": "Youth star", "scale_min": 0, "scale_max": 6, "stages": STAGES,
              "areas": ["Home", "School", "Friends"], "reassess_every_days": 60}
    values.update(extra)
    return services.create_instrument(actor, **values)


def post_data(**extra):
    data = {"name": "Page star", "scale_min": "1", "scale_max": "4", "reassess_every_days": "30",
            "stage_0_name": "Starting", "stage_0_from": "1", "stage_0_to": "2",
            "stage_1_name": "Growing", "stage_1_from": "3", "stage_1_to": "4",
            "area_0": "Home", "area_1": "Feelings"}
    data.update(extra)
    return data


@pytest.mark.django_db
def test_a_manager_creates_a_star_and_new_readings_use_it_once_active(people, open_case):
    m = people["manager"]
    instrument = make(m)
    assert [a.name for a in instrument.areas.all()] == ["Home", "School", "Friends"]
    assert star.active_instrument() == star.default_instrument()
    services.activate_instrument(m, instrument)
    assert star.active_instrument() == instrument
    assert AuditEvent.objects.filter(action="cases.star.activated",
                                     object_id=str(instrument.pk)).exists()
    reading = services.record_reading(people["practitioner"], open_case, taken_on=days_ago(1),
                                      scores={a.pk: 0 for a in instrument.areas.all()})
    assert reading.instrument == instrument
    assert reading.scores.count() == 3
    with pytest.raises(ValidationError):  # 7 is off this star's 0 to 6 scale
        services.record_reading(people["practitioner"], open_case, taken_on=days_ago(1),
                                scores={a.pk: 7 for a in instrument.areas.all()})


@pytest.mark.django_db
def test_only_managers_configure_stars(people):
    for role in ("practitioner", "analyst", "mentor"):
        with pytest.raises(PermissionDenied):
            make(people[role])
    assert not StarInstrument.objects.filter(name="Youth star").exists()


@pytest.mark.django_db
def test_stages_must_cover_the_scale_once_in_order(people):
    m = people["manager"]
    # Each refusal is beside the box of the stage or area that is wrong.
    for stages, box, phrase in (
        ([{"name": "Low", "from": 0, "to": 2}, {"name": "High", "from": 4, "to": 6}],
         "stage_1_from", "should start at 3"),
        ([{"name": "Low", "from": 0, "to": 3}, {"name": "High", "from": 3, "to": 6}],
         "stage_1_from", "should start at 4"),
        ([{"name": "Low", "from": 0, "to": 4}], "stage_0_to", "should end at 6"),
        ([{"name": "Low", "from": 0, "to": 3}, {"name": "low", "from": 4, "to": 6}],
         "stage_1_name", "Two stages"),
    ):
        with pytest.raises(ValidationError) as e:
            make(m, stages=stages)
        assert phrase in e.value.message_dict[box][0]
    with pytest.raises(ValidationError) as e:
        make(m, areas=["Home", "home"])
    assert "Two areas" in e.value.message_dict["area_1"][0]


@given(cuts=st.lists(st.integers(1, 9), unique=True, max_size=6))
def test_stages_cut_anywhere_on_the_scale_are_accepted_and_each_score_has_one_stage(cuts):
    bounds = [0] + sorted(cuts) + [10]
    stages = [{"name": f"S{i}", "from": bounds[i] + (i > 0), "to": bounds[i + 1]}
              for i in range(len(bounds) - 1)]
    stages[0]["from"] = 0
    assert star.check_structure(scale_min=0, scale_max=10, stages=stages, areas=["A"]) == {}
    instrument = StarInstrument(scale_min=0, scale_max=10, stages=stages)
    for score in range(0, 11):
        assert sum(s["from"] <= score <= s["to"] for s in stages) == 1
        assert instrument.stage_of(score)


@given(gap=st.integers(1, 3), at=st.integers(1, 8))
def test_a_gap_between_stages_is_always_refused(gap, at):
    stages = [{"name": "A", "from": 0, "to": at}, {"name": "B", "from": at + 1 + gap, "to": 20}]
    errors = star.check_structure(scale_min=0, scale_max=20, stages=stages, areas=["A"])
    assert "stage_1_from" in errors


@pytest.mark.django_db
def test_a_star_in_use_keeps_its_meaning_and_a_new_version_is_made_instead(people, open_case):
    m = people["manager"]
    instrument = make(m)
    services.activate_instrument(m, instrument)
    past = services.record_reading(people["practitioner"], open_case, taken_on=days_ago(1),
                                   scores={a.pk: 3 for a in instrument.areas.all()})
    with pytest.raises(ValidationError) as e:
        services.update_instrument(m, instrument, name="Youth star", scale_min=0, scale_max=6,
                                   stages=STAGES, areas=["Home", "Learning", "Friends"],
                                   reassess_every_days=60)
    assert "1 reading already uses this star, so its areas cannot change" in e.value.messages[0]
    assert "new version" in e.value.messages[0]
    # The name and the interval do not change what a score means.
    services.update_instrument(m, instrument, name="Youth star 2024", scale_min=0,
                               scale_max=6, stages=STAGES, areas=["Home", "School", "Friends"],
                               reassess_every_days=45)
    instrument.refresh_from_db()
    assert (instrument.name, instrument.reassess_every_days) == ("Youth star 2024", 45)
    copy = services.new_instrument_version(m, instrument)
    assert copy.previous == instrument and copy.name == "Youth star 2024 (version 2)"
    services.update_instrument(m, copy, name=copy.name, scale_min=0, scale_max=6,
                               stages=STAGES, areas=["Home", "Learning", "Friends", "Health"],
                               reassess_every_days=45)
    services.activate_instrument(m, copy)
    past.refresh_from_db()
    assert past.instrument == instrument
    assert [s.area.name for s in past.scores.all()] == ["Home", "School", "Friends"]
    assert [a.name for a in star.active_instrument().areas.all()] == [
        "Home", "Learning", "Friends", "Health"]
    changed = AuditEvent.objects.filter(action="cases.star.changed",
                                        object_id=str(instrument.pk)).last()
    assert changed.detail["before"]["reassess_every_days"] == 60


@pytest.mark.django_db
def test_the_page_creates_a_star_and_keeps_what_was_typed_on_an_error(client, people):
    client.force_login(people["manager"])
    bad = post_data(stage_1_from="4")
    response = client.post(reverse("cases:star_new"), bad)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Stage 2 (Growing) should start at 3" in text
    assert 'value="Feelings"' in text
    response = client.post(reverse("cases:star_new"), post_data(stage_1_name=""))
    assert "Enter a name for stage 2" in response.content.decode()
    response = client.post(reverse("cases:star_new"), post_data())
    assert response.status_code == 302
    made = StarInstrument.objects.get(name="Page star")
    assert made.stages == [{"name": "Starting", "from": 1, "to": 2},
                           {"name": "Growing", "from": 3, "to": 4}]
    assert [a.name for a in made.areas.all()] == ["Home", "Feelings"]
    listing = client.get(reverse("cases:star_list")).content.decode()
    assert "Page star" in listing
    client.post(reverse("cases:star_activate", args=[made.pk]))
    assert star.active_instrument() == made


@pytest.mark.django_db
def test_the_edit_page_refuses_a_change_to_a_star_in_use_with_the_reason(client, people,
                                                                         open_case):
    instrument = star.default_instrument()
    services.record_reading(people["practitioner"], open_case, taken_on=days_ago(1),
                            scores={a.pk: 5 for a in instrument.areas.all()})
    client.force_login(people["manager"])
    page = client.get(reverse("cases:star_edit", args=[instrument.pk])).content.decode()
    assert "1 reading uses this star" in page
    data = InstrumentForm.initial_from(instrument)
    data["scale_max"] = "12"
    data["stage_4_to"] = "12"
    response = client.post(reverse("cases:star_edit", args=[instrument.pk]), data)
    assert response.status_code == 200
    assert "its scale and stages cannot change" in response.content.decode()
    instrument.refresh_from_db()
    assert instrument.scale_max == 10
    response = client.post(reverse("cases:star_version", args=[instrument.pk]))
    copy = StarInstrument.objects.get(previous=instrument)
    assert response["Location"] == reverse("cases:star_edit", args=[copy.pk])
    assert copy.areas.count() == instrument.areas.count()


@pytest.mark.django_db
def test_stage_descriptions_are_saved_and_shown_when_scoring(client, people, open_case):
    instrument = star.default_instrument()
    home = instrument.areas.get(position=1)
    client.force_login(people["manager"])
    field = f"d_{home.pk}_0"
    response = client.post(reverse("cases:star_descriptors", args=[instrument.pk]),
                           {field: "No safe place to stay"})
    assert response.status_code == 302
    home.refresh_from_db()
    assert home.stage_descriptors == {"Stuck": "No safe place to stay"}
    assert AuditEvent.objects.filter(action="cases.star.descriptors_changed").exists()
    page = client.get(reverse("cases:reading_new", args=[open_case.pk])).content.decode()
    assert "Stuck: No safe place to stay" in page


@pytest.mark.django_db
def test_licensed_descriptors_upload_through_the_page_all_or_nothing(client, people):
    instrument = star.default_instrument()
    client.force_login(people["manager"])
    url = reverse("cases:star_upload", args=[instrument.pk])
    bad = SimpleUploadedFile("licence.csv", b"area,score,descriptor\nAccommodation,1,Fine\n"
                             b"Spaceships,2,Unknown\nAccommodation,11,Off\n", "text/csv")
    response = client.post(url, {"file": bad})
    text = response.content.decode()
    assert response.status_code == 200
    assert "nothing was changed" in text
    assert "licence.csv, line 3, field area" in text
    assert "licence.csv, line 4, field score" in text
    assert StarArea.objects.get(instrument=instrument, name="Accommodation").descriptors == {}
    good = SimpleUploadedFile("licence.csv", b"area,score,descriptor\nAccommodation,1,One\n"
                              b"Accommodation,2,Two\n", "text/csv")
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    area = StarArea.objects.get(instrument=instrument, name="Accommodation")
    assert area.descriptors == {"1": "One", "2": "Two"}
    instrument.refresh_from_db()
    assert instrument.licensed_text_loaded
    event = AuditEvent.objects.filter(action="cases.star.descriptors_loaded").last()
    assert event.detail == {"file": "licence.csv", "descriptors": 2}
    assert client.post(url, {}).status_code == 200  # no file: the form says so


@pytest.mark.django_db
def test_the_chart_compares_readings_on_one_star_only(people, open_case):
    p, m = people["practitioner"], people["manager"]
    first = star.default_instrument()
    r1 = services.record_reading(p, open_case, taken_on=days_ago(20),
                                 scores={a.pk: 2 for a in first.areas.all()})
    services.approve_reading(p, r1)
    other = make(m)
    services.activate_instrument(m, other)
    r2 = services.record_reading(p, open_case, taken_on=days_ago(2),
                                 scores={a.pk: 5 for a in other.areas.all()})
    services.approve_reading(p, r2)
    summary = selectors.star_summary(open_case)
    assert summary["instrument"] == other
    assert [row["area"] for row in summary["rows"]] == ["Home", "School", "Friends"]
    assert len(summary["series"]) == 1  # the earlier reading is on another star
    assert StarReading.objects.get(pk=r1.pk).instrument == first


@pytest.mark.django_db
def test_an_odd_upload_name_cannot_leave_the_temporary_folder(people):
    instrument = star.default_instrument()
    count = services.upload_descriptors(people["manager"], instrument, filename="../../x/..",
                                        content=b"area,score,descriptor\nAccommodation,1,One\n")
    assert count == 1
    event = AuditEvent.objects.filter(action="cases.star.descriptors_loaded").last()
    assert event.detail["file"] == "descriptors.csv"


@pytest.mark.django_db
def test_a_version_of_a_version_is_named_after_the_first_and_fits(people):
    m = people["manager"]
    first = make(m, name="Youth star")
    second = services.new_instrument_version(m, first)
    third = services.new_instrument_version(m, second)
    assert (second.name, third.name) == ("Youth star (version 2)", "Youth star (version 3)")
    longest = make(m, name="L" * 100)
    copy = services.new_instrument_version(m, longest)
    limit = StarInstrument._meta.get_field("name").max_length
    assert len(copy.name) <= limit and copy.name.endswith(" (version 2)")
