"""Every read of engagement records. Public reads never return withdrawn or unreviewed stories."""

from django.db.models import Count, DecimalField, Prefetch, Q, Sum

from soclocal.areas.selectors import areas_within
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
            ("planned", "Residents who planned"), ("voters", "Voters"), ("bids", "Bids"),
            ("funded", "Projects funded")]
# Counts of people, which could identify someone when small; bids and projects are not people.
PEOPLE = {"cafe", "inquiry", "planned", "voters"}
WHOLE_PARTNERSHIP = "Whole partnership"


def process_date(process):
    """The day a budgeting process is counted on in a period: when voting closed, else the
    nearest date it has (voting opened, bids closed or opened), else when it was set up."""
    return (process.voting_close or process.voting_open or process.bids_close
            or process.bids_open or process.created_at.date())


def _in_period(day, date_from, date_to):
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def fact_areas():
    """The areas that events or budgeting processes are held in, and the areas those lie in:
    what the key facts can be filtered by."""
    from soclocal.areas.models import Area

    return _and_parents(Area.objects.filter(Q(event__isnull=False) | Q(process__isnull=False)))


def _and_parents(areas):
    """The areas and the local authorities and force areas they sit in, so a filter can ask
    for everything held in a local authority, not only what was held in it as a whole."""
    from soclocal.areas.models import Area
    from soclocal.areas.selectors import parents_of

    ids = set()
    for area in areas.distinct():
        ids |= {area.pk, *(parent.pk for parent in parents_of(area))}
    return Area.objects.filter(pk__in=ids).order_by("type", "name", "code")


def per_process(model, aggregate, output_field=None):
    """One figure over a model's rows for each process, as a subquery of the process."""
    from django.db.models import IntegerField, OuterRef, Subquery

    return Subquery(model.objects.filter(process=OuterRef("pk")).order_by().values("process")
                    .annotate(v=aggregate).values("v")[:1],
                    output_field=output_field or IntegerField())


def key_facts(year: int | None = None, *, date_from=None, date_to=None, area=None):
    """The key facts of engagement and participatory budgeting by area, for a period (a year
    or a date range) and one area or all; small counts of people suppressed per measure.

    Each measure is published with its total, so each is suppressed as one series: a hidden
    count cannot be worked out from the total and the others. Amounts of money are not
    counts of people and are shown as they are."""
    import datetime

    from soclocal.budgeting.models import Ballot, Bid, Process, Result
    from soclocal.budgeting.services import funded_references
    from soclocal.core.disclosure import suppress_series

    from .models import Event

    if year:
        date_from, date_to = datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    def blank():
        return {key: 0 for key, _ in MEASURES}

    counts, money = {}, {}

    def row_for(place):
        name = place.name if place else WHOLE_PARTNERSHIP
        money.setdefault(name, {"asked": 0, "awarded": 0})
        return counts.setdefault(name, blank()), money[name]

    events = _held(Event.objects.select_related("area"), date_from, date_to, area)
    for event in events:
        row, _cash = row_for(event.area)
        row["cafe" if event.kind == Event.Kind.WORLD_CAFE else "inquiry"] += event.participants
    # Each process's counts and sums in the one query, and its published results in one
    # more: a query a process is slow once a region runs many.
    processes = Process.objects.select_related("area").annotate(
        voter_count=per_process(Ballot, Count("*")), bid_count=per_process(Bid, Count("*")),
        asked=per_process(Bid, Sum("cost"), DecimalField(max_digits=16, decimal_places=2)),
    ).prefetch_related(Prefetch("results", to_attr="published_results",
                                queryset=Result.objects.filter(published=True)
                                .order_by("-computed_at", "-pk")))
    if area is not None:
        processes = processes.filter(area__in=areas_within(area))
    for process in processes:
        if not _in_period(process_date(process), date_from, date_to):
            continue
        row, cash = row_for(process.area)
        row["planned"] += process.residents_who_planned
        row["voters"] += process.voter_count or 0
        bids = Bid.objects.filter(process=process)
        row["bids"] += process.bid_count or 0
        cash["asked"] += process.asked or 0
        result = process.published_results[0] if process.published_results else None
        if result:
            funded = funded_references(result)
            row["funded"] += len(funded)
            cash["awarded"] += sum(b.cost for b in bids.filter(reference__in=funded))
    areas = sorted(counts)
    shown, totals = {}, {}
    for key, _label in MEASURES:
        values = {a: counts[a][key] for a in areas}
        if key in PEOPLE:
            series, total = suppress_series(values)
            shown[key], totals[key] = {a: c.shown for a, c in series.items()}, total.shown
        else:
            shown[key], totals[key] = values, sum(values.values())
    rows = [{"area": a, "cells": [shown[k][a] for k, _ in MEASURES],
             "asked": money[a]["asked"], "awarded": money[a]["awarded"]} for a in areas]
    return {"measures": [label for _, label in MEASURES], "keys": [k for k, _ in MEASURES],
            "rows": rows, "totals": [totals[k] for k, _ in MEASURES],
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


def frame_in_use(all_frames):
    """The frame a report opens on: the first that anything has been coded with."""
    from .models import Insight

    used = set(Insight.objects.filter(codes__isnull=False)
               .values_list("codes__frame_id", flat=True))
    return next((f for f in all_frames if f.pk in used), all_frames[0] if all_frames else None)


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


def kind_of_event_area(event) -> dict:
    """The kind of area an event was held in, with what that kind means."""
    from .kinds import DESCRIPTIONS, KINDS, KindOfArea

    kind = KindOfArea()(event.area)
    return {"key": kind, "label": KINDS[kind], "description": DESCRIPTIONS[kind]}


def _held(events, date_from=None, date_to=None, area=None):
    """The events held in a period (either end may be open) and, if given, in one area."""
    if date_from:
        events = events.filter(date__gte=date_from)
    if date_to:
        events = events.filter(date__lte=date_to)
    return events if area is None else events.filter(area__in=areas_within(area))


def report_insights(user, frame, *, date_from=None, date_to=None, area=None):
    """The insights coded with a frame at the events the user can see, in a period and area."""
    from .models import Insight

    events = _held(events_for(user), date_from, date_to, area)
    return Insight.objects.filter(event__in=events, codes__frame=frame) \
        .select_related("event__area").prefetch_related("codes").distinct() \
        .order_by("-event__date", "event_id", "pk")


def report_areas(user):
    """The areas of the events the user can see, and the areas those lie in: what the report
    can be filtered by."""
    from soclocal.areas.models import Area

    return _and_parents(Area.objects.filter(event__in=events_for(user)))


def report_across_events(user, frame, **filters):
    """Insights by code, by area and by kind of area, across the events the user can see,
    with the quotes. Filters: date_from, date_to, area."""
    from .kinds import KINDS, KindOfArea

    kind_of = KindOfArea()
    rows = {}
    areas = set()
    for insight in report_insights(user, frame, **filters):
        event = insight.event
        area = event.area.name if event.area else "No area given"
        kind = kind_of(event.area)
        areas.add(area)
        for code in insight.codes.all():
            if code.frame_id != frame.pk:
                continue
            row = rows.setdefault(code, {"counts": {}, "kinds": {}, "quotes": []})
            row["counts"][area] = row["counts"].get(area, 0) + 1
            row["kinds"][kind] = row["kinds"].get(kind, 0) + 1
            row["quotes"].append(insight.text)
    areas = sorted(areas)
    kinds = list(KINDS)
    out = [{"code": c, "counts": [r["counts"].get(a, 0) for a in areas],
            "by_kind": [r["kinds"].get(k, 0) for k in kinds],
            "total": sum(r["counts"].values()), "quotes": r["quotes"][:5],
            "kind_cells": [{"key": k, "label": KINDS[k], "n": r["kinds"].get(k, 0)}
                           for k in kinds]}
           for c, r in sorted(rows.items(), key=lambda kv: kv[0].pk)]
    return {"areas": areas, "kinds": [{"key": k, "label": KINDS[k]} for k in kinds],
            "rows": out,
            "kind_totals": [sum(r["by_kind"][i] for r in out) for i in range(len(kinds))],
            "total": sum(r["total"] for r in out)}


def report_quotes(user, frame, code, kind, **filters):
    """The insights behind one cell of the report by kind of area: what was said, where."""
    from .kinds import KindOfArea

    kind_of = KindOfArea()
    return [i for i in report_insights(user, frame, **filters).filter(codes=code)
            if kind_of(i.event.area) == kind]


def shared_report_rows(report):
    """The report by kind of area as it may leave the system: counts from 1 to 4, and the
    counts that would let one be worked out from the totals, hidden."""
    from soclocal.core.disclosure import suppress

    if not report["rows"]:
        return {"header": [], "rows": []}
    table = suppress([r["by_kind"] for r in report["rows"]])
    header = ["Theme", *[k["label"] for k in report["kinds"]], "All kinds of area"]
    rows = [[r["code"].label, *[c.shown for c in table.cells[i]], table.row_totals[i].shown]
            for i, r in enumerate(report["rows"])]
    rows.append(["All themes", *[c.shown for c in table.column_totals],
                 table.grand_total.shown])
    return {"header": header, "rows": rows}


def groups_for(user):
    from .models import CommunityGroup

    return scope(user, "groups.manage", CommunityGroup.objects.all()).distinct()


def group_bids(group):
    """The participatory budgeting bids made by the group, with their outcome."""
    from soclocal.budgeting.selectors import bids_for_group

    return bids_for_group(group)


def priority_ranking(group):
    """The group's priorities in Schulze order: [[Priority, ...], ...] tiers, best first."""
    from .schulze import ranking

    priorities = {p.pk: p for p in group.priorities.all()}
    if not priorities:
        return []
    ballots = [(1, [pk for pk in b.ranking if pk in priorities]) for b in group.ballots.all()]
    return [[priorities[pk] for pk in tier] for tier in ranking(list(priorities), ballots)]


# The public pages: groups residents may ask to join, and World Cafés to come.

def public_groups():
    """Community groups by name and area only: never their members or facilitators."""
    from .models import CommunityGroup

    return CommunityGroup.objects.select_related("area").order_by("name")


def upcoming_cafes(today=None):
    """World Cafés from today on, soonest first, with only what a poster would say."""
    from django.utils import timezone

    from .models import Event

    today = today or timezone.localdate()
    return Event.objects.filter(kind=Event.Kind.WORLD_CAFE, date__gte=today).select_related(
        "area").order_by("date", "title")


def events_to_come(user, days=14, today=None):
    """Events in the next `days` days, for the people who run them."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Event

    today = today or timezone.localdate()
    return scope(user, "engagement.manage", Event.objects.filter(
        date__gte=today, date__lte=today + timedelta(days=days))).order_by("date", "title")


def join_requests_for(user, group):
    """A group's join requests, for its facilitators (reached through groups.manage)."""
    from .models import JoinRequest

    mine = scope(user, "groups.manage", JoinRequest.objects.filter(group=group))
    return JoinRequest.objects.filter(pk__in=mine.values("pk")).select_related("answered_by")


def unanswered_join_requests(user):
    """Per group the user facilitates: how many requests wait for an answer."""
    from django.db.models import Count, Min

    from .models import JoinRequest

    waiting = scope(user, "groups.manage", JoinRequest.objects.filter(
        answer="", forgotten_at__isnull=True))
    return list(JoinRequest.objects.filter(pk__in=waiting.values("pk"))
                .values("group", "group__name").annotate(n=Count("pk"),
                                                         oldest=Min("received_at"))
                .order_by("group__name"))


def events_by_area(start, end) -> dict:
    """{area id: co-inquiry sessions and World Cafés held there from `start` to `end`}."""
    from django.db.models import Count

    from .models import Event

    rows = (Event.objects.filter(date__gte=start, date__lte=end, area__isnull=False)
            .values("area").annotate(n=Count("pk")))
    return {r["area"]: r["n"] for r in rows}
