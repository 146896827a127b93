import csv
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from soclocal.core.access import Role

PEOPLE_HEADER = ["police_ref", "forenames", "surname", "date_of_birth", "postcode"]
EVENTS_HEADER = ["police_ref", "date", "kind", "offence_group"]


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def staff(make_user):
    return {
        "analyst": make_user(Role.ANALYST, username="evaluator"),
        "board": make_user(Role.BOARD_MEMBER, username="chair"),
        "practitioner": make_user(Role.PRACTITIONER),
        "manager": make_user(Role.MANAGER),
        "admin": make_user(Role.PARTNERSHIP_ADMIN),
    }


def _refer(staff, first, last, dob, received, *, engaged):
    from soclocal.cases import services
    from soclocal.cases.models import Case, Referral

    referral = services.record_referral(
        staff["practitioner"], person={"first_name": first, "last_name": last,
                                       "date_of_birth": dob, "gender": "not_known"},
        source="police", referrer_name="PC Example", reasons=["criminal_exploitation"],
        indicators=[], concerns="Older people are collecting them from school.",
        young_person_consents_to_service=True, caregiver_consents_to_service=True,
        lawful_basis="consent")
    if engaged:
        Case.objects.filter(pk=referral.case_id).update(status=Case.Status.OPEN,
                                                        first_engaged_on=received)
    else:
        services.triage(staff["manager"], referral, decision="decline",
                        reason="Did not take up the offer.")
    Referral.objects.filter(pk=referral.pk).update(
        received_at=timezone.make_aware(datetime.combine(received, time(10))))
    return referral.case.young_person


@pytest.fixture
def cohort_world(staff, tmp_path):
    """Twelve young people referred about two years ago, six engaged and six not; ten of them
    in a police extract (one with a typo), plus two strangers; arrests fall after referral,
    more for engagers."""
    today = timezone.localdate()
    received = today - timedelta(days=540)
    people, events, young = [], [], []
    for i in range(12):
        engaged = i < 6
        dob = date(received.year - 15, 1 + i % 12, 3 + i)
        first, last = f"Robin{chr(65 + i)}", f"Testfield{chr(65 + i)}"
        young.append(_refer(staff, first, last, dob, received, engaged=engaged))
        if i >= 10:
            continue
        ref = f"P{i:03d}"
        people.append([ref, first if i != 3 else first[:-1] + "x", last, dob.isoformat(),
                       ""])
        before = 4 if engaged else 3
        after = 1 if engaged else 3
        for k in range(before):
            events.append([ref, (received - timedelta(days=20 + 30 * k)).isoformat(),
                           "arrest", "violence"])
            events.append([ref, (received - timedelta(days=25 + 30 * k)).isoformat(),
                           "missing episode", ""])
        for k in range(after):
            events.append([ref, (received + timedelta(days=20 + 30 * k)).isoformat(),
                           "arrest", "drugs"])
            events.append([ref, (received + timedelta(days=22 + 30 * k)).isoformat(),
                           "offence", "drugs"])
    people += [["S001", "Morgan", "Stranger", "2004-05-06", "NG1 1AA"],
               ["S002", "Sam", "Elsewhere", "2003-02-01", ""]]
    events += [["S001", (today - timedelta(days=1000)).isoformat(), "arrest", "theft"],
               ["S002", (today - timedelta(days=2)).isoformat(), "offence", "theft"]]
    return {
        "people": write_csv(tmp_path / "people.csv", PEOPLE_HEADER, people),
        "events": write_csv(tmp_path / "events.csv", EVENTS_HEADER, events),
        "young": young, "received": received, **staff,
    }
