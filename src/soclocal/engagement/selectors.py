"""Every read of engagement records. Public reads never return withdrawn or unreviewed stories."""

from django.db.models import Q

from soclocal.core.access import scope

from .models import Story


def published_stories(query: str = "", tag: str = ""):
    """The public library: published, consented, not withdrawn."""
    stories = Story.objects.filter(status=Story.Status.PUBLISHED, consent_publish=True,
                                   withdrawn_at__isnull=True)
    if query:
        stories = stories.filter(Q(title__icontains=query) | Q(anonymised_text__icontains=query))
    if tag:
        stories = stories.filter(tags__icontains=tag)
    return stories


def shareable_stories():
    """What may leave the system in an export: consented to share, reviewed, not withdrawn."""
    return Story.objects.filter(consent_share=True, withdrawn_at__isnull=True,
                                status__in=[Story.Status.REVIEWED, Story.Status.PUBLISHED])


def stories_for(user, query: str = ""):
    stories = scope(user, "stories.review", Story.objects.all())
    if query:
        stories = stories.filter(Q(title__icontains=query) | Q(text__icontains=query))
    return stories


def export_rows(stories=None):
    return [{"title": s.title, "story": s.anonymised_text, "tags": s.tag_list,
             "published": s.status == Story.Status.PUBLISHED}
            for s in (stories if stories is not None else shareable_stories())]


MEASURES = [("cafe", "People at World Cafés"), ("inquiry", "People at co-inquiries"),
            ("voters", "Voters"), ("bids", "Bids"), ("funded", "Projects funded")]


def key_facts(year: int | None = None):
    """Participatory budgeting's key facts by area, small counts suppressed per measure.

    Each measure is published with its total, so each is suppressed as one series: a hidden
    count cannot be worked out from the total and the others."""
    from soclocal.budgeting.models import Ballot, Bid, Process, Result
    from soclocal.budgeting.services import funded_references
    from soclocal.core.disclosure import suppress_series

    processes = Process.objects.select_related("area")
    if year:
        processes = processes.filter(created_at__year=year)
    from .models import Event

    def blank():
        return {key: 0 for key, _ in MEASURES}

    counts, money = {}, {}
    events = Event.objects.select_related("area")
    if year:
        events = events.filter(date__year=year)
    for event in events:
        area = event.area.name if event.area else "Whole partnership"
        money.setdefault(area, {"asked": 0, "awarded": 0})
        key = "cafe" if event.kind == Event.Kind.WORLD_CAFE else "inquiry"
        counts.setdefault(area, blank())[key] += event.participants
    for process in processes:
        area = process.area.name if process.area else "Whole partnership"
        row = counts.setdefault(area, blank())
        cash = money.setdefault(area, {"asked": 0, "awarded": 0})
        row["voters"] += Ballot.objects.filter(process=process).count()
        bids = Bid.objects.filter(process=process)
        row["bids"] += bids.count()
        cash["asked"] += sum(b.cost for b in bids)
        result = Result.objects.filter(process=process, published=True).first()
        if result:
            funded = funded_references(result)
            row["funded"] += len(funded)
            cash["awarded"] += sum(b.cost for b in bids.filter(reference__in=funded))
    areas = sorted(counts)
    shown, totals = {}, {}
    for key, _label in MEASURES:
        series, total = suppress_series({a: counts[a][key] for a in areas})
        shown[key], totals[key] = series, total
    rows = [{"area": a, "cells": [shown[k][a].shown for k, _ in MEASURES],
             "asked": money[a]["asked"], "awarded": money[a]["awarded"]} for a in areas]
    return {"measures": [label for _, label in MEASURES], "rows": rows,
            "totals": [totals[k].shown for k, _ in MEASURES],
            "asked": sum(m["asked"] for m in money.values()),
            "awarded": sum(m["awarded"] for m in money.values())}


def events_for(user):
    from .models import Event

    return scope(user, "engagement.view", Event.objects.select_related("area"))


def frames():
    from .frames import ensure_built_in_frames
    from .models import CodingFrame

    ensure_built_in_frames()
    return CodingFrame.objects.prefetch_related("codes")


def code_texts(frame) -> dict:
    """Each code's label with the insights already given it: what suggestions compare with."""
    texts = {}
    for code in frame.codes.prefetch_related("insights"):
        texts[code] = " ".join([code.label, code.description,
                                *[i.text for i in code.insights.all()]])
    return texts


def event_report(event):
    """Counts of insights by code with the quotes, for one event."""
    from .models import Insight

    insights = Insight.objects.filter(event=event).prefetch_related("codes")
    by_code = {}
    for insight in insights:
        for code in insight.codes.all():
            by_code.setdefault(code, []).append(insight.text)
    return sorted(by_code.items(), key=lambda kv: (-len(kv[1]), kv[0].label))


def report_across_events(user, frame):
    """Insights by code and area across the events the user can see, with the quotes."""
    from .models import Insight

    rows = {}
    areas = set()
    for insight in Insight.objects.filter(event__in=events_for(user), codes__frame=frame) \
            .select_related("event__area").prefetch_related("codes").distinct():
        area = insight.event.area.name if insight.event.area else "No area given"
        areas.add(area)
        for code in insight.codes.all():
            if code.frame_id != frame.pk:
                continue
            row = rows.setdefault(code, {"counts": {}, "quotes": []})
            row["counts"][area] = row["counts"].get(area, 0) + 1
            row["quotes"].append(insight.text)
    areas = sorted(areas)
    return {"areas": areas, "rows": [
        {"code": c, "counts": [r["counts"].get(a, 0) for a in areas],
         "total": sum(r["counts"].values()), "quotes": r["quotes"][:5]}
        for c, r in sorted(rows.items(), key=lambda kv: kv[0].pk)]}


def groups_for(user):
    from .models import CommunityGroup

    return scope(user, "groups.manage", CommunityGroup.objects.all()).distinct()


def priority_ranking(group):
    """The group's priorities in Schulze order: [[Priority, ...], ...] tiers, best first."""
    from .schulze import ranking

    priorities = {p.pk: p for p in group.priorities.all()}
    if not priorities:
        return []
    ballots = [(1, [pk for pk in b.ranking if pk in priorities]) for b in group.ballots.all()]
    return [[priorities[pk] for pk in tier] for tier in ranking(list(priorities), ballots)]
