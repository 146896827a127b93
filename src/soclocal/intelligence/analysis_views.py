"""The analysts' view: how much intelligence came in, by ward, month and theme; no content.

Counts on the analyst's own screen are exact. The sharing version (and every CSV, which is
made to leave the screen) suppresses small counts through core.disclosure."""

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from soclocal.areas.models import Area
from soclocal.core import audit, disclosure, spreadsheet
from soclocal.core.access import requires

from . import selectors

COLUMNS = ("reports", "submissions")
# Map bands: (lowest count, swatch class); the legend's swatches give the map its colours.
BANDS = [(0, "app-decile-none"), (1, "app-decile-7"), (5, "app-decile-5"),
         (10, "app-decile-4"), (20, "app-decile-2"), (50, "app-decile-1")]


def _table(user, sharing):
    rows = selectors.intelligence_counts(user)
    cells = [[r[c] for c in COLUMNS] for r in rows]
    if not sharing:
        totals = [sum(col) for col in zip(*cells, strict=True)] if cells else [0, 0]
        return rows, cells, [sum(c) for c in cells], totals, sum(totals)
    table = disclosure.suppress(cells) if cells else None
    if table is None:
        return rows, [], [], [0, 0], 0
    shown = [[p.shown for p in row] for row in table.cells]
    return (rows, shown, [p.shown for p in table.row_totals],
            [p.shown for p in table.column_totals], table.grand_total.shown)


def _sharing(request):
    return request.GET.get("version") == "sharing"


@requires("intel.analysis")
def analysis(request):
    sharing = _sharing(request)
    rows, cells, row_totals, column_totals, grand = _table(request.user, sharing)
    audit.record("intelligence.analysis.viewed", detail={"sharing": sharing})
    return render(request, "intelligence/analysis.html", {
        "rows": [{**r, "cells": c, "total": t} for r, c, t in zip(rows, cells, row_totals,
                                                                   strict=True)],
        "column_totals": column_totals, "grand": grand, "sharing": sharing,
        "threshold": disclosure.THRESHOLD, "mark": disclosure.MARK,
        "bands": [(low, BANDS[i + 1][0] - 1 if i + 1 < len(BANDS) else None, css)
                  for i, (low, css) in enumerate(BANDS)],
        "geojson_url": reverse("intelligence:analysis_geojson"), "map_tiles": settings.MAP_TILES,
    })


@requires("intel.analysis")
def analysis_csv(request):
    """Always the sharing version: a file leaves the analyst's screen."""
    rows, cells, row_totals, column_totals, grand = _table(request.user, sharing=True)
    audit.record("intelligence.analysis.downloaded", detail={"sharing": True})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="intelligence-counts.csv"'
    out = spreadsheet.writer(response)
    out.writerow(["ward_code", "ward", "month", "theme", *COLUMNS, "total"])
    for r, c, t in zip(rows, cells, row_totals, strict=True):
        ward = r["ward"]
        out.writerow([ward.code if ward else "", ward.name if ward else selectors.NOT_PLACED,
                      r["month"], r["theme"], *c, t])
    out.writerow(["", "All", "", "", *column_totals, grand])
    return response


@requires("intel.analysis")
def analysis_geojson(request):
    """Wards with the number of reports and submissions in each, for the analyst's map."""
    totals = {}
    for r in selectors.intelligence_counts(request.user):
        if r["ward"] is not None:
            totals[r["ward"].pk] = totals.get(r["ward"].pk, 0) + r["reports"] + r["submissions"]
    features = [
        {"type": "Feature", "id": a.code, "geometry": json.loads(a.geometry),
         "properties": {"code": a.code, "name": a.name, "count": totals[a.pk],
                        "band": max(i for i, (low, _) in enumerate(BANDS)
                                    if totals[a.pk] >= low)}}
        for a in Area.objects.filter(pk__in=totals, geometry__isnull=False)]
    audit.record("intelligence.analysis.viewed", detail={"map": True})
    return JsonResponse({"type": "FeatureCollection", "features": features})
