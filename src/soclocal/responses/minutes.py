"""A meeting's minutes as a file: the HTML fed to WeasyPrint, and the PDF it makes."""

from django.template.loader import render_to_string
from django.utils.text import slugify

from . import selectors


def minutes_html(user, meeting) -> str:
    """The minutes as this person may read them (police-only items only for the police)."""
    return render_to_string("responses/minutes_file.html", {
        "meeting": meeting, "items": selectors.agenda(user, meeting),
        "attendance": meeting.attendance.select_related("person__agency"),
        "agencies": meeting.invited_agencies.order_by("name"),
        **selectors.outcomes(user, meeting)})


def minutes_pdf(user, meeting) -> tuple[bytes, str]:
    from weasyprint import HTML

    name = f"minutes-{slugify(meeting.title)}-{meeting.starts_at:%Y-%m-%d}.pdf"
    return HTML(string=minutes_html(user, meeting)).write_pdf(), name
