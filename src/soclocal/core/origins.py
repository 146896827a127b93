"""Where a record came from and what came of it, across contexts (decision 0029).

`link(actor, source, target)` records that `target` was raised from `source` (a threat from a
profile finding, a plan from a priority). Each side is kept as content type and id, with a
label and URL captured at link time, plus who and when; so no app imports another's models to
show the trail. `{% load origins %}{% origins record %}` shows "Raised from" and "What came of
it" on a record's page.

Labels can be sensitive (a police-only threat's title), so an app registers who may see its
records with `register_visibility(Model, fn)`; someone who may not see the other end is told
only that a linked record exists.
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType

from .models import Origin

_visibility: dict[str, Callable] = {}


def register_visibility(model, fn: Callable) -> None:
    """`fn(user, ids) -> set of ids (as strings) the user may see` for records of `model`."""
    _visibility[model._meta.label_lower] = fn


def _url(obj) -> str:
    getter = getattr(obj, "get_absolute_url", None)
    return getter() if getter else ""


def link(actor, source, target, *, source_label: str = "", source_url: str = "",
         target_label: str = "", target_url: str = "") -> Origin:
    """Record that `target` was raised from `source`. Called inside the service that raises
    the target, so it commits (or not) with it."""
    return Origin.objects.create(
        source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk),
        source_label=(source_label or str(source))[:300],
        source_url=source_url or _url(source),
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk),
        target_label=(target_label or str(target))[:300],
        target_url=target_url or _url(target),
        created_by=actor,
    )


def raised_from(record):
    return Origin.objects.filter(target_type=ContentType.objects.get_for_model(record),
                                 target_id=str(record.pk)).select_related("source_type",
                                                                          "created_by")


def came_of(record):
    return Origin.objects.filter(source_type=ContentType.objects.get_for_model(record),
                                 source_id=str(record.pk)).select_related("target_type",
                                                                          "created_by")


def _visible(user, content_type, ids) -> set[str]:
    fn = _visibility.get(f"{content_type.app_label}.{content_type.model}")
    return set(ids) if fn is None else {str(i) for i in fn(user, list(ids))}


def trail(user, record) -> dict:
    """The record's origins and outcomes as the user may see them: label and URL, or only
    that a linked record exists."""

    def rows(links, side):
        out = []
        by_type: dict = {}
        for o in links:
            by_type.setdefault(getattr(o, f"{side}_type"), []).append(getattr(o, f"{side}_id"))
        allowed = {ct: _visible(user, ct, ids) for ct, ids in by_type.items()}
        for o in links:
            ct, oid = getattr(o, f"{side}_type"), getattr(o, f"{side}_id")
            shown = oid in allowed[ct]
            out.append({
                "kind": ct.name.capitalize(),
                "label": getattr(o, f"{side}_label") if shown else "A record you do not have access to",
                "url": getattr(o, f"{side}_url") if shown else "",
                "by": o.created_by.get_full_name() if o.created_by else "the system",
                "at": o.created_at,
            })
        return out

    return {"raised_from": rows(list(raised_from(record)), "source"),
            "came_of": rows(list(came_of(record)), "target")}
