"""Every write to agreements and the directory: checked, validated, audited."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from soclocal.core import audit
from soclocal.core.access import scope, service

from .models import Agreement, Need, Service

# The largest agreement document a person may upload (a signed PDF is rarely more than a few).
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = (".pdf", ".docx", ".odt", ".doc")

AGREEMENT_FIELDS = ("title", "status", "purposes", "lawful_bases", "data_categories",
                    "retention_terms", "starts_on", "review_on", "signatories")
SERVICE_FIELDS = ("name", "description", "age_from", "age_to", "needs", "whole_area",
                  "how_to_refer", "contact_name", "contact_email", "contact_phone", "website",
                  "active")


def check_document(document) -> None:
    """An agreement's document: a PDF or word-processor file no larger than the limit."""
    if document is None:
        return
    name = document.name or ""
    if not name.lower().endswith(DOCUMENT_TYPES):
        raise ValidationError({"document": _("The document must be a PDF or a word-processor file "
                                             "(%(types)s)") % {"types": ", ".join(DOCUMENT_TYPES)}})
    if document.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"document": _("The document is %(size).1f MB; the largest allowed is "
                                             "%(largest)d MB") % {
            "size": document.size / 1048576, "largest": MAX_DOCUMENT_BYTES // 1048576}})


def _validate_agreement(data, parties):
    errors = {}
    for name in ("title", "purposes", "lawful_bases", "data_categories", "retention_terms"):
        if not str(data.get(name) or "").strip():
            errors[name] = {"title": "Give the agreement a title",
                            "purposes": "Say what the sharing is for",
                            "lawful_bases": "Name the lawful basis each party relies on",
                            "data_categories": "Say what kinds of information are shared",
                            "retention_terms": "Say how long what is shared is kept"}[name]
    if not data.get("review_on"):
        errors["review_on"] = "Give the date the agreement is to be reviewed"
    elif data.get("starts_on") and data["review_on"] < data["starts_on"]:
        errors["review_on"] = "The review date must be after the start date"
    if data.get("status") not in Agreement.Status.values:
        errors["status"] = "Choose whether the agreement is a draft, in force or ended"
    if len(list(parties)) < 2:
        errors["parties"] = "Choose at least two agencies that are party to the agreement"
    if data.get("status") == Agreement.Status.ACTIVE and not str(
            data.get("signatories") or "").strip():
        errors["signatories"] = "An agreement in force needs its signatories"
    if errors:
        raise ValidationError(errors)


def _blank_text(data):
    """Text fields hold "" rather than None; dates stay None when not given."""
    return {k: v if v is not None or k in ("starts_on", "review_on") else ""
            for k, v in data.items()}


def _next_reference():
    numbers = [int(m.group(1)) for r in Agreement.objects.values_list("reference", flat=True)
               if (m := re.fullmatch(r"ISA-(\d+)", r))]
    return f"ISA-{max(numbers, default=0) + 1:03d}"


def _store_document(agreement, document):
    if document is None:
        return
    check_document(document)
    agreement.document_name = document.name[:200]
    agreement.document.save(f"{agreement.reference}-{agreement.pk}{_suffix(document.name)}",
                            document, save=False)


def _suffix(name):
    return next((s for s in DOCUMENT_TYPES if name.lower().endswith(s)), "")


@service("agreements.manage")
def create_agreement(actor, *, parties, document=None, **data) -> Agreement:
    data = {k: data.get(k) for k in AGREEMENT_FIELDS}
    data["status"] = data.get("status") or Agreement.Status.DRAFT
    _validate_agreement(data, parties)
    check_document(document)
    agreement = Agreement.objects.create(reference=_next_reference(), created_by=actor,
                                         **_blank_text(data))
    agreement.parties.set(parties)
    _store_document(agreement, document)
    agreement.save()
    audit.record("partnership.agreement.created", actor=actor, obj=agreement,
                 detail={"reference": agreement.reference,
                         "parties": sorted(p.pk for p in parties),
                         "document": bool(document)})
    return agreement


@service("agreements.manage")
def update_agreement(actor, agreement: Agreement, *, parties, document=None, **data):
    data = {k: data.get(k) for k in AGREEMENT_FIELDS}
    _validate_agreement(data, parties)
    check_document(document)
    data = _blank_text(data)
    changed = sorted(k for k, v in data.items() if getattr(agreement, k) != v)
    for k, v in data.items():
        setattr(agreement, k, v)
    agreement.save()
    before = set(agreement.parties.values_list("pk", flat=True))
    agreement.parties.set(parties)
    if before != {p.pk for p in parties}:
        changed.append("parties")
    if document is not None:
        _store_document(agreement, document)
        agreement.save()
        changed.append("document")
    audit.record("partnership.agreement.changed", actor=actor, obj=agreement,
                 detail={"changed": changed})
    return agreement


def check_share(agreement, agencies, *, field="agreement") -> None:
    """A share between `agencies` may rely on `agreement`: it is named, in force, and every
    one of the agencies is a party to it. Called by every service that shares or releases."""
    if agreement is None:
        raise ValidationError({field: _("Choose the information-sharing agreement this share "
                                      "relies on")})
    if agreement.status != Agreement.Status.ACTIVE:
        raise ValidationError({field: _("%(reference)s is not in force (%(status)s); choose an agreement "
                                        "in force") % {"reference": agreement.reference,
                                                       "status": agreement.get_status_display().lower()}})
    parties = set(agreement.parties.values_list("pk", flat=True))
    missing = [a for a in agencies if a is not None and a.pk not in parties]
    if missing:
        names = " and ".join(a.name for a in missing)
        raise ValidationError({field: (_("%(names)s is not party to %(reference)s; choose an agreement both "
                                         "agencies have signed") if len(missing) == 1 else
                                       _("%(names)s are not party to %(reference)s; choose an "
                                         "agreement both agencies have signed"))
                              % {"names": names, "reference": agreement.reference}})


OLDEST_AGE = 120


def _validate_service(data):
    errors = {}
    if not str(data.get("name") or "").strip():
        errors["name"] = "Give the service a name"
    if not str(data.get("description") or "").strip():
        errors["description"] = "Say what the service does"
    if not str(data.get("how_to_refer") or "").strip():
        errors["how_to_refer"] = "Say how to refer to the service"
    lo, hi = data.get("age_from"), data.get("age_to")
    for name, age in (("age_from", lo), ("age_to", hi)):
        if age is not None and not 0 <= age <= OLDEST_AGE:
            errors[name] = f"Give an age from 0 to {OLDEST_AGE}"
    if lo is not None and hi is not None and lo > hi and "age_to" not in errors:
        errors["age_to"] = "The oldest age must not be below the youngest"
    unknown = [n for n in data.get("needs") or () if n not in Need.values]
    if unknown:
        errors["needs"] = f"Unknown needs: {', '.join(unknown)}"
    if not (data.get("contact_email") or data.get("contact_phone") or data.get("website")):
        errors["contact_email"] = "Give at least one way to contact the service: an email " \
                                  "address, a phone number or a website"
    if errors:
        raise ValidationError(errors)


def _may_keep(actor, agency) -> None:
    if actor is None:
        return
    if not scope(actor, "directory.manage", type(agency).objects.filter(pk=agency.pk)).exists():
        raise PermissionDenied


@service("directory.manage")
def create_service(actor, *, agency, areas=(), **data) -> Service:
    _may_keep(actor, agency)
    data = {k: data.get(k) for k in SERVICE_FIELDS if k in data}
    data.setdefault("active", True)
    data["needs"] = list(data.get("needs") or [])
    _validate_service(data)
    item = Service.objects.create(agency=agency, updated_by=actor,
                                  **{k: ("" if v is None and k not in ("age_from", "age_to")
                                         else v) for k, v in data.items()})
    item.areas.set(areas)
    audit.record("partnership.service.created", actor=actor, obj=item,
                 detail={"agency": agency.pk, "name": item.name})
    return item


@service("directory.manage")
def update_service(actor, item: Service, *, agency=None, areas=(), **data) -> Service:
    _may_keep(actor, item.agency)
    if agency is not None and agency.pk != item.agency_id:
        _may_keep(actor, agency)
        item.agency = agency
    data = {k: data.get(k) for k in SERVICE_FIELDS if k in data}
    data["needs"] = list(data.get("needs") or [])
    _validate_service(data)
    for k, v in data.items():
        setattr(item, k, "" if v is None and k not in ("age_from", "age_to") else v)
    item.updated_by = actor
    item.save()
    item.areas.set(areas)
    audit.record("partnership.service.changed", actor=actor, obj=item,
                 detail={"fields": sorted(data)})
    return item
