"""The audit trail: append-only, hash-chained events.

Every event's hash covers its own fields and the previous event's hash, so altering,
removing or reordering any event breaks the chain from that point on; `verify()` finds
the first broken link.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .context import current_request
from .models import AuditEvent, AuditHead

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq", "at", "actor_id", "actor", "agency_id", "agency", "action",
    "object_type", "object_id", "purpose", "ip_address", "detail", "prev_hash",
)


def _canonical(value):
    if hasattr(value, "isoformat"):
        return value.isoformat(timespec="microseconds")
    return value


def compute_hash(event: AuditEvent) -> str:
    payload = {name: _canonical(getattr(event, name)) for name in HASHED_FIELDS}
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def record(action, *, actor=None, obj=None, object_type="", object_id="", purpose="",
           detail=None, request=None) -> AuditEvent:
    """Append one event. Actor and IP come from the current request unless given."""
    request = request or current_request()
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    agency = getattr(actor, "agency", None) if actor is not None else None
    with transaction.atomic():
        # Bumping the head row first takes its write lock, so concurrent writers queue;
        # the head, not the last row, says what comes next, so deleted rows cannot hide.
        AuditHead.objects.get_or_create(pk=1)
        AuditHead.objects.filter(pk=1).update(seq=F("seq") + 1)
        head = AuditHead.objects.get(pk=1)
        event = AuditEvent(
            seq=head.seq,
            at=timezone.now(),
            actor_id=actor.pk if actor is not None else None,
            actor=actor.get_username() if actor is not None else "",
            agency_id=agency.pk if agency is not None else None,
            agency=agency.name if agency is not None else "",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            purpose=purpose or "",
            ip_address=_client_ip(request),
            detail=detail or {},
            prev_hash=head.hash,
        )
        event.hash = compute_hash(event)
        event.save()
        AuditHead.objects.filter(pk=1).update(hash=event.hash)
    return event


def _client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@dataclass
class VerifyResult:
    ok: bool
    count: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""
    head_hash: str = ""


def verify() -> VerifyResult:
    head = AuditHead.objects.filter(pk=1).first()
    return verify_chain(AuditEvent.objects.order_by("seq").iterator(chunk_size=2000),
                        head.seq if head is not None else None)


def verify_chain(events, head_seq=None) -> VerifyResult:
    """Recompute a chain of events in order of `seq` (from this database, or read from a
    restored copy), and check it ends where the head says."""
    prev = GENESIS
    count = 0
    expected_seq = 1
    for event in events:
        count += 1
        if event.seq != expected_seq:
            return VerifyResult(False, count, event.seq, event.pk,
                                f"sequence jumps from {expected_seq - 1} to {event.seq}: "
                                "an event is missing")
        if event.prev_hash != prev:
            return VerifyResult(False, count, event.seq, event.pk,
                                "its previous-hash does not match the event before it")
        if compute_hash(event) != event.hash:
            return VerifyResult(False, count, event.seq, event.pk,
                                "its contents do not match its hash: it was altered")
        prev = event.hash
        expected_seq += 1
    if head_seq is not None and head_seq != count:
        return VerifyResult(False, count, None, None,
                            f"the chain holds {count} events but {head_seq} were written: "
                            "events at the end were removed")
    return VerifyResult(True, count, head_hash=prev)
