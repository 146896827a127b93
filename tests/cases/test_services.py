"""The case lifecycle, the consent gate, sharing and revoking, on the real database."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from soclocal.cases import selectors, services, star
from soclocal.cases.models import Case, Contact, Referral, YoungPerson
from soclocal.core.models import AuditEvent

from .conftest import days_ago, person_data, referral_data

pytestmark = pytest.mark.django_db


def test_referral_to_closure_and_rereferral_keeps_history(people, open_case):
    p, m = people["practitioner"], people["manager"]
    case = open_case
    services.record_outreach(p, case, attempted_on=days_ago(9), method="door_knock")
    services.record_outreach(p, case, attempted_on=days_ago(8), method="caregiver",
                             engaged=True)
    case.refresh_from_db()
    assert case.first_engaged_on == days_ago(8)
    areas = list(star.default_instrument().areas.all())
    reading = services.record_reading(p, case, taken_on=days_ago(7),
                                      scores={a.pk: 3 for a in areas},
                                      other_views={areas[0].pk: 5}, action_plan="Bike project")
    services.approve_reading(p, reading)
    plan = services.save_plan(p, case, goals=[(areas[7], "Join the boxing club")], actions=[
        {"for_whom": "young_person", "kind": "diversionary", "description": "Boxing taster",
         "owner": "Key worker", "due_on": None},
        {"for_whom": "family", "kind": "financial", "description": "Food vouchers",
         "owner": "Key worker"}])
    services.approve_plan(m, plan)
    services.record_contact(p, case, happened_on=days_ago(6), duration_minutes=60,
                            kind="one_to_one", place="Cafe", goals=list(plan.goals.all()))
    closure = services.request_closure(p, case, reason="goals_met", summary="Boxing weekly.")
    services.decide_closure(m, closure, approve=True)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    services.record_contact(p, case, happened_on=days_ago(1), duration_minutes=10,
                            kind="informal")
    with pytest.raises(ValidationError):
        services.record_contact(p, case, happened_on=days_ago(1), duration_minutes=10,
                                kind="one_to_one")
    again = services.rerefer(p, case, **referral_data(source="school"))
    case.refresh_from_db()
    assert again.case == case and case.status == Case.Status.AWAITING_TRIAGE
    assert case.referrals.count() == 2 and case.contacts.count() == 2
    assert case.readings.count() == 1 and case.plans.count() == 1 and case.closures.count() == 1
    assert AuditEvent.objects.filter(action="cases.referral.rereferred").count() == 1


def test_consent_or_a_lawful_basis_is_needed_to_refer(people):
    p = people["practitioner"]
    with pytest.raises(ValidationError) as e:
        services.record_referral(p, person=person_data(), **referral_data(
            young_person_consents_to_service=False, caregiver_consents_to_service=False))
    assert "lawful_basis" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.record_referral(p, person=person_data(), **referral_data(
            lawful_basis="public_task", young_person_consents_to_service=False,
            caregiver_consents_to_service=False))
    assert "lawful_basis_reason" in e.value.message_dict
    services.record_referral(p, person=person_data(), **referral_data(
        lawful_basis="public_task", lawful_basis_reason="Section 47 enquiry",
        young_person_consents_to_service=False, caregiver_consents_to_service=False))


def test_age_outside_11_to_18_needs_a_managers_override(people):
    young = person_data(date_of_birth=days_ago(365 * 9))
    with pytest.raises(ValidationError):
        services.record_referral(people["practitioner"], person=young, **referral_data())
    with pytest.raises(ValidationError):
        services.record_referral(people["practitioner"], person=young,
                                 **referral_data(age_override_reason="Sibling is open"))
    referral = services.record_referral(people["manager"], person=young,
                                        **referral_data(age_override_reason="Sibling is open"))
    assert referral.age_override_reason == "Sibling is open"


def test_another_agency_sees_the_case_only_while_it_is_shared(people, open_case,
                                                              sharing_agreement):
    other = people["police_practitioner"]
    with pytest.raises(Http404):
        selectors.get_case(other, open_case.pk)
    share = services.share_case(people["practitioner"], open_case, agency=other.agency,
                                purpose="Joint safety plan", agreement=sharing_agreement)
    assert selectors.get_case(other, open_case.pk) == open_case
    services.revoke_share(people["practitioner"], share, reason="Joint work finished")
    with pytest.raises(Http404):
        selectors.get_case(other, open_case.pk)
    denied = AuditEvent.objects.filter(action="access.denied", actor_id=other.pk,
                                       object_type="cases.case", object_id=str(open_case.pk))
    assert denied.count() == 2
    assert open_case.owning_agency != other.agency  # referral does not move ownership


def test_sharing_without_consent_is_refused_unless_a_manager_overrides(people,
                                                                      sharing_agreement):
    referral = services.record_referral(people["practitioner"], person=person_data(),
                                        **referral_data(young_person_consents_to_sharing=False))
    case = referral.case
    police = people["police_practitioner"].agency
    with pytest.raises(ValidationError):
        services.share_case(people["practitioner"], case, agency=police, purpose="Joint work",
                            agreement=sharing_agreement)
    with pytest.raises(ValidationError):
        services.share_case(people["practitioner"], case, agency=police, purpose="Joint work",
                            agreement=sharing_agreement, override_reason="Risk of serious harm")
    share = services.share_case(people["manager"], case, agency=police, purpose="Joint work",
                                agreement=sharing_agreement,
                                override_reason="Risk of serious harm tonight")
    assert share.lawful_basis.startswith("Override")
    event = AuditEvent.objects.get(action="cases.case.shared")
    assert event.detail["override"] is True


def test_transfer_moves_ownership_only_when_accepted(people, open_case, sharing_agreement):
    transfer = services.offer_transfer(people["practitioner"], open_case,
                                       agency=people["police_manager"].agency,
                                       agreement=sharing_agreement,
                                       reason="Moved into the police's diversion scheme")
    open_case.refresh_from_db()
    assert open_case.owning_agency == people["practitioner"].agency
    with pytest.raises(PermissionDenied):
        services.respond_to_transfer(people["manager"], transfer, accept=True)
    services.respond_to_transfer(people["police_manager"], transfer, accept=True)
    open_case.refresh_from_db()
    assert open_case.owning_agency == people["police_manager"].agency
    with pytest.raises(Http404):
        selectors.get_case(people["practitioner"], open_case.pk)


def test_peer_mentor_sees_only_assigned_cases_and_own_agencys_notes(people, open_case,
                                                                     make_user):
    mentor = people["mentor"]
    assert selectors.get_case(mentor, open_case.pk) == open_case
    services.record_contact(people["practitioner"], open_case, happened_on=days_ago(1),
                            duration_minutes=30, kind="one_to_one", notes="Private")
    detail = selectors.case_detail(mentor, open_case)
    assert detail["limited"] and list(detail["contacts"]) == []  # another agency's notes
    stranger = make_user("peer_mentor")
    with pytest.raises(Http404):
        selectors.get_case(stranger, open_case.pk)


def test_search_finds_misspelt_names_and_merge_keeps_both_histories(people):
    p = people["practitioner"]
    first = services.record_referral(p, person=person_data(), **referral_data())
    dob = first.case.young_person.date_of_birth
    found = selectors.search_young_people(p, name="Rowen Testerbey", date_of_birth=dob)
    assert found == [first.case.young_person]
    other_agency = services.record_referral(
        people["manager"], person=person_data(first_name="Rowan", last_name="Testerby"),
        agency=people["police_manager"].agency, team=None, **referral_data())
    services.triage(people["manager"], first, decision="decline", reason="Already known")
    second = services.record_referral(p, person=person_data(last_name="Testerby"),
                                      **referral_data())
    keep, dup = first.case.young_person, second.case.young_person
    services.merge_young_people(people["manager"], keep=keep, duplicate=dup, reason="Same")
    dup.refresh_from_db()
    assert dup.merged_into == keep
    assert keep.cases.count() == 2 + (other_agency.case.young_person == keep)


def test_only_the_manager_triages_and_reasons_are_needed(people):
    referral = services.record_referral(people["practitioner"], person=person_data(),
                                        **referral_data())
    with pytest.raises(PermissionDenied):
        services.triage(people["practitioner"], referral, decision="accept")
    with pytest.raises(ValidationError):
        services.triage(people["manager"], referral, decision="signpost", reason="Elsewhere")
    services.triage(people["manager"], referral, decision="signpost", reason="Better fit",
                    signposted_to="School nurse")
    referral.case.refresh_from_db()
    assert referral.case.status == Case.Status.SIGNPOSTED


def test_out_of_hours_contacts_are_flagged(people, open_case):
    c = services.record_contact(people["practitioner"], open_case, happened_on=days_ago(1),
                                duration_minutes=20, kind="out_of_hours")
    assert c.out_of_hours
    assert Contact.objects.filter(out_of_hours=True).count() == 1


def test_work_due_lists_triage_and_first_contact(people):
    referral = services.record_referral(people["practitioner"], person=person_data(),
                                        **referral_data())
    due = selectors.work_due(people["manager"], Case.objects.all())
    assert [i["what"] for i in due] == ["Triage"]
    services.triage(people["manager"], referral, decision="accept")
    due = selectors.work_due(people["manager"], Case.objects.all())
    assert {i["what"] for i in due} == {"First contact"}


def test_a_young_person_is_not_created_twice_for_an_open_case(people):
    first = services.record_referral(people["practitioner"], person=person_data(),
                                     **referral_data())
    with pytest.raises(ValidationError):
        services.record_referral(people["practitioner"],
                                 young_person=first.case.young_person, **referral_data())
    assert YoungPerson.objects.count() == 1 and Referral.objects.count() == 1
