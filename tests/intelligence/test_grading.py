"""The 3x5x2 rule: every valid grade is accepted, every invalid one refused with a reason."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from soclocal.intelligence.grading import check_grading

SOURCES, INTEL, HANDLING = ["1", "2", "3"], list("ABCDE"), ["P", "C"]
conditions = st.text(max_size=40)


@given(st.sampled_from(SOURCES), st.sampled_from(INTEL), conditions)
def test_every_valid_grade_with_the_right_conditions_passes(source, intel, text):
    assert check_grading(source, intel, "P", "") == {}
    if text.strip():
        assert check_grading(source, intel, "C", text) == {}
    else:
        assert set(check_grading(source, intel, "C", text)) == {"handling_conditions"}


@given(st.text(max_size=3), st.text(max_size=3), st.text(max_size=3), conditions)
def test_anything_else_is_refused_field_by_field(source, intel, handling, text):
    errors = check_grading(source, intel, handling, text)
    assert ("source_grade" in errors) == (source not in SOURCES)
    assert ("intelligence_grade" in errors) == (intel not in INTEL)
    if handling not in HANDLING:
        assert "handling" in errors
    assert ("handling_conditions" in errors) == (
        (handling == "C" and not text.strip()) or (handling == "P" and bool(text.strip())))


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(SOURCES), st.sampled_from(INTEL), st.sampled_from(HANDLING),
       st.sampled_from(["", "  ", "Only to named officers"]))
@pytest.mark.django_db
def test_the_report_service_applies_the_rule(source, intel, handling, text):
    from soclocal.accounts import services as accounts
    from soclocal.accounts.models import Agency
    from soclocal.core.access import Role
    from soclocal.intelligence import services
    from soclocal.intelligence.models import IntelligenceReport

    agency = Agency.objects.first() or accounts.create_agency(
        accounts.get_or_create_partnership("P") and None, name="Force", kind="police")
    officer = accounts.create_account(None, username=f"o{IntelligenceReport.objects.count()}x"
                                      f"{source}{intel}{handling}{len(text)}", first_name="A",
                                      last_name="B", email="", agency=agency, team=None,
                                      roles=[Role.INTELLIGENCE_OFFICER],
                                      password="x-long-password-1")[0]
    before = IntelligenceReport.objects.count()
    kwargs = dict(title="T", text="X", source_type="police", source_grade=source,
                  intelligence_grade=intel, handling=handling, handling_conditions=text)
    valid = (handling == "P" and not text.strip()) or (handling == "C" and text.strip())
    if valid:
        report = services.create_report(officer, **kwargs)
        assert report.grade == f"{source}/{intel}/{handling}"
        assert report.handling_conditions == text.strip()
    else:
        with pytest.raises(ValidationError) as e:
            services.create_report(officer, **kwargs)
        assert "handling_conditions" in e.value.message_dict
        assert IntelligenceReport.objects.count() == before
