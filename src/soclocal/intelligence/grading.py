"""The 3x5x2 grading rule, on its own so it can be checked wherever a grade is set."""

from .models import Grading

SOURCE_CODES = [c for c, _ in Grading.SOURCE]
INTELLIGENCE_CODES = [c for c, _ in Grading.INTELLIGENCE]
HANDLING_CODES = [c for c, _ in Grading.HANDLING]


def check_grading(source_grade, intelligence_grade, handling, handling_conditions="") -> dict:
    """The problems with a grade, by field; an empty dict when it is valid.

    Source 1-3, intelligence A-E, handling P or C. Handling C needs its conditions written
    down (they travel with the report); P has none, so conditions given with P are refused
    rather than silently dropped.
    """
    errors = {}
    if source_grade not in SOURCE_CODES:
        errors["source_grade"] = "Grade the source 1, 2 or 3"
    if intelligence_grade not in INTELLIGENCE_CODES:
        errors["intelligence_grade"] = "Grade the intelligence A, B, C, D or E"
    conditions = (handling_conditions or "").strip()
    if handling not in HANDLING_CODES:
        errors["handling"] = "Choose handling code P or C"
    elif handling == "C" and not conditions:
        errors["handling_conditions"] = ("Write the conditions for sharing: handling code C "
                                         "means sharing is permitted only with conditions")
    elif handling == "P" and conditions:
        errors["handling_conditions"] = ("Handling code P has no conditions: choose C if "
                                         "sharing needs conditions, or remove them")
    return errors
