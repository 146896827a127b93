"""A meeting invitation as iCalendar (RFC 5545): one VEVENT, CRLF lines folded at 75 octets."""

from datetime import UTC

from django.utils import timezone

from .models import Meeting


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold a content line to at most 75 octets, never splitting a UTF-8 character."""
    out, current = [], b""
    limit = 75
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > limit:
            out.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines start with a space
        current += b
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(dt) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def invitation(meeting: Meeting, *, url: str = "", organiser_email: str = "",
               attendees=()) -> str:
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//soclocal//Tasking meetings//EN",
        "CALSCALE:GREGORIAN", "METHOD:REQUEST", "BEGIN:VEVENT",
        f"UID:{meeting.uid}", f"SEQUENCE:{meeting.sequence}",
        f"DTSTAMP:{_utc(timezone.now())}", f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}", f"SUMMARY:{_escape(meeting.title)}",
    ]
    if meeting.location:
        lines.append(f"LOCATION:{_escape(meeting.location)}")
    # The agenda itself stays in the system: an invitation travels by email.
    description = "The agenda and papers are in the system"
    lines.append(f"DESCRIPTION:{_escape(description + (': ' + url if url else '.'))}")
    if url:
        lines.append(f"URL:{url}")
    if organiser_email:
        lines.append(f"ORGANIZER:mailto:{organiser_email}")
    for name, email in attendees:
        lines.append(f"ATTENDEE;CN=\"{name.replace(chr(34), '')}\";ROLE=REQ-PARTICIPANT;"
                     f"RSVP=TRUE:mailto:{email}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(_fold(line) + "\r\n" for line in lines)
