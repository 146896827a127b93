"""Subject access: everything the system holds about one person, gathered from every context.

A context plugs in with two functions, registered from its app's `subject_access.py` (imported
by its AppConfig.ready()):

  @subject_access.finder
  def find(query) -> Iterable[Subject]       who a query names (a case reference, a user name,
                                             an email address...)
  @subject_access.provider
  def held(subject) -> Iterable[Part]        what this context holds about a subject

`gather(query)` puts the parts together with the audit events about every record found, and
redacts other people's details (family members, referrers, residents...) wherever they appear,
listing each redaction for the person who reviews the export before it is released.
`export_zip()` writes `subject-access.json` (machine-readable), `subject-access.pdf` (for
reading) and `redactions.json` (for the reviewer).
"""

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone

from .access import service

REDACTED = "[redacted: {}]"


@dataclass
class Subject:
    kind: str  # "young person", "family member", "staff member", "email address"
    label: str  # how the export names them
    keys: dict  # what providers look them up by, e.g. {"cases.youngperson": [4]}, {"email": ...}


@dataclass
class Part:
    context: str  # "Early intervention"
    heading: str  # "Cases"
    records: list[dict]
    refs: list[tuple[str, str]] = field(default_factory=list)  # (object type, id) for audit
    third_parties: dict[str, str] = field(default_factory=dict)  # text -> whose it is
    note: str = ""  # e.g. what was withheld and under which exemption


_finders: list[Callable] = []
_providers: list[Callable] = []


def finder(fn):
    if fn not in _finders:
        _finders.append(fn)
    return fn


def provider(fn):
    if fn not in _providers:
        _providers.append(fn)
    return fn


class NotFound(Exception):
    pass


@finder
def _by_email(query):
    if "@" in query:
        yield Subject("email address", query, {"email": query})


def _discover():
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("subject_access")


def find(query: str) -> list[Subject]:
    _discover()
    query = (query or "").strip()
    if not query:
        raise NotFound("Give a case reference (for example 'Case 12'), a user name or an "
                       "email address.")
    subjects = [s for fn in _finders for s in fn(query)]
    if not subjects:
        raise NotFound(f"Nothing held matches '{query}': give a case reference (for example "
                       "'Case 12'), a user name or an email address.")
    return subjects


def case_number(query: str) -> int | None:
    """'Case 12', 'case-12', 'C12' or '12' -> 12."""
    m = re.fullmatch(r"(?:case[\s\-_]*|c)?(\d+)", query.strip(), flags=re.IGNORECASE)
    return int(m.group(1)) if m else None


def value(v):
    if isinstance(v, dt.datetime):
        return timezone.localtime(v).isoformat(timespec="seconds") if timezone.is_aware(v) \
            else v.isoformat(timespec="seconds")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, list | tuple):
        return [value(x) for x in v]
    if isinstance(v, dict):
        return {k: value(x) for k, x in v.items()}
    return v


def as_record(obj, *, leave_out=()) -> dict:
    """A record's fields as plain values; people and agencies it points at by name."""
    out = {"record": obj._meta.verbose_name.capitalize(), "id": obj.pk}
    for f in obj._meta.concrete_fields:
        if f.name in leave_out or f.name == "id":
            continue
        if isinstance(f, models.ForeignKey):
            target = getattr(obj, f.name)
            out[f.name] = str(target) if target is not None else None
        else:
            raw = getattr(obj, f.attname)
            display = getattr(obj, f"get_{f.name}_display", None)
            out[f.name] = display() if display and f.choices else value(raw)
    return out


@dataclass
class Report:
    query: str
    subjects: list[Subject]
    parts: list[Part]
    audit_events: list[dict]
    redactions: list[dict]
    made_at: str

    def as_json(self) -> dict:
        return {
            "query": self.query, "made_at": self.made_at,
            "subjects": [{"kind": s.kind, "label": s.label} for s in self.subjects],
            "parts": [{"context": p.context, "heading": p.heading, "note": p.note,
                       "records": p.records} for p in self.parts],
            "audit_events": self.audit_events,
            "redactions": [{"where": r["where"], "whose": r["whose"]} for r in self.redactions],
        }


def _redact(obj, replacements, where, found):
    if isinstance(obj, str):
        for text, whose in replacements:
            if text and text in obj:
                obj = obj.replace(text, REDACTED.format(whose))
                found.append({"where": where, "whose": whose, "text": text})
        return obj
    if isinstance(obj, list):
        return [_redact(x, replacements, where, found) for x in obj]
    if isinstance(obj, dict):
        return {k: _redact(x, replacements, f"{where}.{k}" if where else k, found)
                for k, x in obj.items()}
    return obj


@service("dataprotection.manage")
def export(actor, query: str, *, purpose: str = "") -> bytes:
    """The zip for one person (a ValidationError naming the problem when no one matches)."""
    from django.core.exceptions import ValidationError

    try:
        report = gather(query, actor=actor, purpose=purpose)
    except NotFound as e:
        raise ValidationError(str(e)) from None
    return export_zip(report)


def gather(query: str, actor=None, purpose: str = "") -> Report:
    from . import audit
    from .models import AuditEvent

    subjects = find(query)
    parts = [p for s in subjects for fn in _providers for p in fn(s)]
    refs = {(t, str(i)) for p in parts for t, i in p.refs}
    own = {text for s in subjects for text in (s.label, s.keys.get("email", ""))} - {""}
    third = {}
    for p in parts:
        for text, whose in p.third_parties.items():
            if text and len(text) > 2 and text not in own:
                third[text] = whose
    # Longest first, so a full name goes before a part of it.
    replacements = sorted(third.items(), key=lambda kv: -len(kv[0]))
    found = []
    for n, p in enumerate(parts):
        p.records = _redact(p.records, replacements, f"{p.heading}[{n}]", found)
    events = []
    by_type = {}
    for t, i in refs:
        by_type.setdefault(t, set()).add(i)
    staff_ids = [i for s in subjects for i in s.keys.get("accounts.user", [])]
    for t, ids in by_type.items():
        qs = AuditEvent.objects.filter(object_type=t, object_id__in=ids)
        events += list(qs)
    if staff_ids:
        events += list(AuditEvent.objects.filter(actor_id__in=staff_ids))
    seen = set()
    audit_rows = []
    for e in sorted(events, key=lambda e: e.seq):
        if e.pk in seen:
            continue
        seen.add(e.pk)
        audit_rows.append({"seq": e.seq, "at": value(e.at), "who": e.actor, "agency": e.agency,
                           "action": e.action, "record": f"{e.object_type} {e.object_id}",
                           "purpose": e.purpose})
    audit_rows = _redact(audit_rows, replacements, "audit_events", found)
    report = Report(query, subjects, parts, audit_rows, found,
                    value(timezone.now()))
    audit.record("subject_access.exported", actor=actor, purpose=purpose, detail={
        "query": query, "subjects": [s.kind for s in subjects],
        "records": sum(len(p.records) for p in parts), "redactions": len(found)})
    return report


def render_pdf(report: Report) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("core/subject_access_pdf.html", {"report": report})
    return HTML(string=html).write_pdf()


def export_zip(report: Report) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("subject-access.json", json.dumps(report.as_json(), indent=1,
                                                     ensure_ascii=False, default=str))
        z.writestr("subject-access.pdf", render_pdf(report))
        z.writestr("redactions.json", json.dumps(
            {"note": "For the reviewer: each redaction, with the text removed. Check them, "
                     "then release subject-access.json and subject-access.pdf without this "
                     "file.", "redactions": report.redactions}, indent=1, ensure_ascii=False))
    return buffer.getvalue()


def parts_of(subject: Subject, providers: Iterable[Callable]) -> list[Part]:
    return [p for fn in providers for p in fn(subject)]
