"""Service report figures against the records; suppression; the star and language rules."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soclocal.cases import language, report, services, star
from soclocal.cases.models import Case, Contact, Referral
from soclocal.core.disclosure import MARK

from .conftest import days_ago, person_data, referral_data


@pytest.mark.django_db
def test_report_counts_equal_the_records_and_the_sharing_version_hides_small_ones(people):
    p, m = people["practitioner"], people["manager"]
    sources = ["police"] * 6 + ["school"] * 2
    for i, source in enumerate(sources):
        r = services.record_referral(p, person=person_data(first_name=f"Kid{i}"),
                                     **referral_data(source=source))
        services.triage(m, r, decision="accept")
        if i < 3:
            services.record_contact(p, r.case, happened_on=days_ago(1), duration_minutes=5,
                                    kind="out_of_hours")
    figures = report.service_report(Case.objects.all())
    assert figures["referrals"] == Referral.objects.count() == 8
    assert figures["by_source"]["Police"] == 6 and figures["by_source"]["School"] == 2
    assert figures["out_of_hours_contacts"] == Contact.objects.filter(out_of_hours=True).count()
    assert figures["engagement"] == {"Engaged": 3, "Not yet engaged": 5}
    shared = report.for_sharing(figures)
    assert shared["by_source"]["School"] == MARK
    assert shared["by_source"]["Police"] == MARK  # otherwise 8 - 6 gives the hidden 2
    assert shared["out_of_hours_contacts"] == MARK
    assert shared["referrals"] == 8


@pytest.mark.django_db
def test_a_period_holds_the_referrals_received_on_its_days_in_local_time(people):
    from datetime import UTC, date, datetime

    p = people["practitioner"]
    # Midsummer: local time is an hour ahead of UTC, so 23:30 UTC is the next day locally.
    times = {"before": datetime(2026, 6, 30, 22, 30, tzinfo=UTC),
             "first": datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
             "last": datetime(2026, 7, 1, 22, 30, tzinfo=UTC),
             "after": datetime(2026, 7, 1, 23, 30, tzinfo=UTC)}
    for name, at in times.items():
        r = services.record_referral(p, person=person_data(first_name=name), **referral_data())
        Referral.objects.filter(pk=r.pk).update(received_at=at)
    figures = report.service_report(Case.objects.all(), date_from=date(2026, 7, 1),
                                    date_to=date(2026, 7, 1))
    assert figures["referrals"] == 2


@pytest.mark.django_db
def test_only_approved_readings_count_in_the_star_change(people, open_case):
    areas = list(star.default_instrument().areas.all())
    first = services.record_reading(people["practitioner"], open_case, taken_on=days_ago(30),
                                    scores={a.pk: 2 for a in areas})
    services.approve_reading(people["practitioner"], first)
    services.record_reading(people["practitioner"], open_case, taken_on=days_ago(1),
                            scores={a.pk: 9 for a in areas})
    assert report.service_report(Case.objects.all())["star_people"] == 0
    latest = services.record_reading(people["practitioner"], open_case, taken_on=days_ago(0),
                                     scores={a.pk: 6 for a in areas})
    services.approve_reading(people["practitioner"], latest)
    figures = report.service_report(Case.objects.all())
    assert figures["star_people"] == 1
    assert set(figures["star_change"].values()) == {4}


scores = st.dictionaries(st.sampled_from(star.DEFAULT_AREAS), st.integers(1, 10), min_size=1)


@given(scores, scores)
def test_change_is_latest_minus_first_for_shared_areas(first, latest):
    change = star.change_per_area(first, latest)
    assert set(change) == set(first) & set(latest)
    assert all(first[a] + d == latest[a] for a, d in change.items())


@given(st.lists(scores, max_size=6))
def test_mean_change_lies_between_the_extremes(changes):
    means = star.mean_change(changes, star.DEFAULT_AREAS)
    for area, value in means.items():
        values = [c[area] for c in changes if area in c]
        assert (value is None) == (not values)
        if values:
            assert min(values) - 0.01 <= value <= max(values) + 0.01


@given(st.text(max_size=40), st.sampled_from([p for p, _ in language.DEFAULT_PHRASES]),
       st.text(max_size=40))
def test_a_blaming_phrase_is_found_whatever_surrounds_it(before, phrase, after):
    text = f"{before} {phrase.upper()} {after}"
    assert phrase in [w.phrase for w in language.check(text)]


def test_kind_words_raise_no_warning_and_words_inside_others_are_not_matched():
    assert language.check("He's not your mate, he's exploiting you.") == []
    assert language.check("the streetwiseness index") == []
    assert [w.phrase for w in language.check("a lifestyle  choice")] == ["lifestyle choice"]


@given(st.lists(st.integers(0, 200), min_size=1, max_size=8))
def test_sharing_version_never_shows_a_count_from_1_to_4(counts):
    figures = {"by_source": {f"s{i}": c for i, c in enumerate(counts)}}
    base = {k: 0 for k in ("referrals", "young_people", "contacts", "out_of_hours_contacts",
                           "rereferrals", "open_cases", "practitioners_with_cases", "triaged",
                           "first_contacts", "star_people")}
    base.update(by_reason={}, engagement={}, by_closure={}, star_change={}, **figures)
    shared = report.for_sharing(base)
    assert all(v == MARK or v == 0 or v >= 5 for v in shared["by_source"].values())


@pytest.mark.django_db
def test_licensed_descriptors_load_all_or_nothing(tmp_path):
    bad = tmp_path / "star.csv"
    bad.write_text("area,score,descriptor\nAccommodation,1,Text one\nNowhere,11,\n")
    from soclocal.core.imports import ImportFailed

    with pytest.raises(ImportFailed) as e:
        star.load_descriptors(bad)
    message = str(e.value)
    assert "star.csv, line 3, field area" in message and "field score" in message
    assert not star.default_instrument().areas.exclude(descriptors={}).exists()
    good = tmp_path / "good.csv"
    good.write_text("area,score,descriptor\nAccommodation,1,Text one\n")
    assert star.load_descriptors(good) == 1
    assert star.default_instrument().licensed_text_loaded
