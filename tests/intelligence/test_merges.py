"""Clerical review of suggested pairs and merges that an undo reverses exactly."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from soclocal.core.access import Role
from soclocal.core.audit import AuditEvent
from soclocal.intelligence import selectors, services
from soclocal.intelligence.models import Entity, Link, Merge, PairReview

from .conftest import GRADE

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything a merge could touch: each entity's fields and reports, each link's ends."""
    return (
        sorted((e.pk, e.reference, e.forenames, e.surname, e.date_of_birth, e.postcode,
                e.merged_into_id, tuple(sorted(e.reports.values_list("pk", flat=True))))
               for e in Entity.objects.all()),
        sorted(Link.objects.values_list("pk", "from_entity_id", "to_entity_id", "kind")),
    )


@pytest.fixture
def network(people, report):
    intel = people["intel"]
    other = services.create_report(intel, title="Second", text="More", **GRADE)
    a = services.create_person(intel, reference="P-A", forenames="Kieran",
                               surname="Brackenbury", date_of_birth=date(1990, 4, 12),
                               report=report)
    b = services.create_person(intel, reference="P-B", forenames="Kieran",
                               surname="Brackenbury", date_of_birth=date(1990, 12, 4),
                               report=report)
    services.add_to_report(intel, other, b)
    flat = services.create_entity(intel, "address", address="Flat 2", postcode="NG1 1AA")
    car = services.create_entity(intel, "vehicle", name="ZZ19 ABC")
    friend = services.create_person(intel, forenames="Tom", surname="Other")
    services.create_link(intel, a, flat, "occupies")
    services.create_link(intel, b, flat, "occupies")
    services.create_link(intel, b, car, "uses")
    services.create_link(intel, friend, b, "associate")
    services.create_link(intel, a, b, "family")
    return {"a": a, "b": b, "flat": flat, "car": car, "friend": friend, "report": report,
            "other": other}


def test_merge_moves_links_and_reports_and_undo_restores_exactly(people, network):
    intel, a, b = people["intel"], network["a"], network["b"]
    before = snapshot()
    review = services.review_pair(intel, b, a, "same", probability=0.97,
                                  comparisons={"date_of_birth": "day and month swapped"})
    assert (review.left, review.right, review.decided_by) == (a, b, intel)
    merge = Merge.objects.get(review=review)
    b.refresh_from_db()
    assert b.merged_into == a and Entity.objects.filter(pk=b.pk).exists()  # kept, not deleted
    assert b.forenames == "Kieran" and b.date_of_birth == date(1990, 12, 4)
    assert list(b.reports.all()) == []
    assert set(a.reports.all()) == {network["report"], network["other"]}
    assert merge.moved["reports_added"] == [network["other"].pk]
    # b's links now end at a, except the family link between the two
    assert set(Link.objects.filter(from_entity=a).values_list("to_entity", "kind")) == {
        (network["flat"].pk, "occupies"), (network["car"].pk, "uses"), (b.pk, "family")}
    assert Link.objects.get(from_entity=network["friend"]).to_entity == a
    assert selectors.active_people(Entity.objects.all()).filter(pk=b.pk).exists() is False

    services.undo_merge(people["intel2"], merge)
    assert snapshot() == before
    merge.refresh_from_db()
    assert merge.undone_by == people["intel2"] and merge.undone_at
    actions = list(AuditEvent.objects.filter(action__startswith="intelligence.").values_list(
        "action", flat=True))
    for action in ("intelligence.pair.reviewed", "intelligence.entity.merged",
                   "intelligence.entity.merge_undone"):
        assert action in actions
    with pytest.raises(ValidationError):
        services.undo_merge(intel, merge)


def test_merges_undo_in_reverse_order(people, network):
    intel, a, b, friend = people["intel"], network["a"], network["b"], network["friend"]
    before = snapshot()
    first = services.merge_people(intel, a, b)
    second = services.merge_people(intel, friend, a)
    with pytest.raises(ValidationError, match="undo that merge first"):
        services.undo_merge(intel, first)
    with pytest.raises(ValidationError, match="already merged"):
        services.merge_people(intel, a, network["b"])
    services.undo_merge(intel, second)
    services.undo_merge(intel, first)
    assert snapshot() == before


def test_decisions_are_kept_and_rules_hold(people, network):
    intel, a, b = people["intel"], network["a"], network["b"]
    services.review_pair(intel, a, b, "unsure", note="Check the date of birth")
    services.review_pair(intel, a, b, "not_same")
    assert PairReview.objects.filter(left=a, right=b).count() == 2
    assert selectors.latest_decisions(Entity.objects.all())[("P-A", "P-B")].decision == \
        "not_same"
    assert not Merge.objects.exists()
    with pytest.raises(ValidationError):
        services.review_pair(intel, a, b, "maybe")
    with pytest.raises(ValidationError):
        services.review_pair(intel, a, network["flat"], "same")
    with pytest.raises(ValidationError):
        services.review_pair(intel, a, b, "same", survivor=network["friend"])
    assert not Merge.objects.exists()  # the refused decision left nothing behind


def test_only_the_owning_forces_officers_merge(people, network, make_user, org):
    a, b = network["a"], network["b"]
    youth_officer = make_user(Role.INTELLIGENCE_OFFICER, agency="youth")
    for actor in (people["housing"], youth_officer):
        with pytest.raises(PermissionDenied):
            services.review_pair(actor, a, b, "same")
    assert not PairReview.objects.exists() and not Merge.objects.exists()
