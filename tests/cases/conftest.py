from datetime import date, timedelta

import pytest
from django.utils import timezone

from soclocal.core.access import Role


def referral_data(**extra):
    data = {
        "source": "police", "referrer_name": "PC Example, Test Police",
        "reasons": ["criminal_exploitation", "missing"], "indicators": ["phones"],
        "concerns": "Older males are collecting him from school.",
        "young_person_consents_to_service": True, "young_person_consents_to_sharing": True,
        "caregiver_consents_to_service": True, "caregiver_consents_to_sharing": True,
        "lawful_basis": "consent",
    }
    data.update(extra)
    return data


def person_data(**extra):
    today = timezone.localdate()
    data = {"first_name": "Rowan", "last_name": "Testerby",
            "date_of_birth": date(today.year - 15, 3, 1), "gender": "boy"}
    data.update(extra)
    return data


@pytest.fixture
def people(make_user):
    return {
        "practitioner": make_user(Role.PRACTITIONER),
        "manager": make_user(Role.MANAGER),
        "mentor": make_user(Role.PEER_MENTOR, agency="police", team=False),
        "police_practitioner": make_user(Role.PRACTITIONER, agency="police"),
        "police_manager": make_user(Role.MANAGER, agency="police"),
        "analyst": make_user(Role.ANALYST),
        "board": make_user(Role.BOARD_MEMBER),
    }


@pytest.fixture
def open_case(people):
    from soclocal.cases import services

    referral = services.record_referral(people["practitioner"], person=person_data(),
                                        **referral_data())
    services.triage(people["manager"], referral, decision="accept")
    services.allocate(people["manager"], referral.case, practitioner=people["practitioner"],
                      peer_mentor=people["mentor"])
    referral.case.refresh_from_db()
    return referral.case


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)
