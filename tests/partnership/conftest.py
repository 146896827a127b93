from datetime import date

import pytest

from soclocal.core.access import Role


@pytest.fixture
def people(make_user):
    return {
        "admin": make_user(Role.PARTNERSHIP_ADMIN),
        "practitioner": make_user(Role.PRACTITIONER),
        "manager": make_user(Role.MANAGER),
        "police_manager": make_user(Role.MANAGER, agency="police"),
        "police_practitioner": make_user(Role.PRACTITIONER, agency="police"),
        "intel": make_user(Role.INTELLIGENCE_OFFICER, agency="police", team=False),
        "intel2": make_user(Role.INTELLIGENCE_OFFICER, agency="police", team=False),
        "analyst": make_user(Role.ANALYST),
        "board": make_user(Role.BOARD_MEMBER),
    }


def agreement_data(**extra):
    data = {"title": "Early intervention sharing", "status": "active",
            "purposes": "Referring young people\nPlanning support",
            "lawful_bases": "UK GDPR Article 6(1)(e)\nChildren Act 2004 section 11",
            "data_categories": "Names and dates of birth\nReasons for referral",
            "retention_terms": "Six years after the case closes", "starts_on": date(2025, 1, 1),
            "review_on": date(2099, 1, 1),
            "signatories": "A. Signatory, Test Police, 1 Jan 2025"}
    data.update(extra)
    return data
