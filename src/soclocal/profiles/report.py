"""The profile as a report: generated texts, the sharing version, charts and the files.

The report follows the Home Office SOC local profile: key findings, threat, vulnerability,
risk, intelligence gaps, and actions under the 4 Ds and the 4 Ps.
"""

import base64
import copy
import io
import json
import zipfile
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from soclocal.core import spreadsheet
from soclocal.core.disclosure import MARK, Frame

from .analytics import ESTIMATES
from .templatetags.profile_numbers import count as fmt_count
from .templatetags.profile_numbers import pct as fmt_pct
from .templatetags.profile_numbers import rate as fmt_rate

# The titles stay English in the document (its JSON and the API); pages and files show them
# in the reader's language (section_label).
SECTIONS = [
    ("key_findings", gettext_noop("Key findings")),
    ("threat", gettext_noop("Threat")),
    ("vulnerability", gettext_noop("Vulnerability: places and communities")),
    ("risk", gettext_noop("Risk")),
    ("intelligence_gaps", gettext_noop("Intelligence gaps")),
    ("divert", gettext_noop("Divert")), ("deter", gettext_noop("Deter")),
    ("detect", gettext_noop("Detect")), ("disrupt", gettext_noop("Disrupt")),
    ("develop", gettext_noop("Develop community infrastructure")),
    ("pursue", gettext_noop("Pursue")), ("prevent", gettext_noop("Prevent")),
    ("protect", gettext_noop("Protect")), ("prepare", gettext_noop("Prepare")),
]
SECTION_LABELS = dict(SECTIONS)
FOUR_DS = ["divert", "deter", "detect", "disrupt", "develop"]
FOUR_PS = ["pursue", "prevent", "protect", "prepare"]


def action_keys(f: dict) -> list[str]:
    """The action sections a profile offers: the 4 Ds and Develop alone for a Scottish area
    (Scotland's Serious Organised Crime Strategy), both frameworks elsewhere."""
    return FOUR_DS if f.get("actions_framework") == "4ds" else FOUR_DS + FOUR_PS


def section_label(key: str) -> str:
    """A section's title in the reader's language."""
    return _(SECTION_LABELS[key])


def index_label(label: str | None) -> str | None:
    """A deprivation index's name, kept in English in the document, in the reader's language."""
    return _(label) if label else label


def month_label(month: str) -> str:
    """A month in English, as the document and a profile's title keep it."""
    year, m = map(int, month.split("-"))
    return date(year, m, 1).strftime("%B %Y")


def month_name(month: str) -> str:
    """A month as a reader sees it, in their language ("Ionawr 2024")."""
    year, m = map(int, month.split("-"))
    return date_format(date(year, m, 1), "F Y")


def _n(x):
    return f"{x:,}" if isinstance(x, int) else str(x)


def default_texts(f: dict) -> dict:
    """Texts written from the figures, for the analyst to edit."""
    name = f["area"]["name"]
    counts = f["counts_by_crime_type"]
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:3]
    findings = [f"{_n(f['total'])} crimes and incidents were recorded in {name} in the period"
                + (f", {fmt_rate(f['rate_total'])} per 1,000 residents." if f["rate_total"]
                   else ".")]
    findings.append("The most common were " + ", ".join(
        f"{t.lower()} ({_n(n)})" for t, n in top if n) + ".")
    estimate = f["soc"].get("estimate")
    if estimate and f["total"]:
        c, s = estimate["count"], estimate["share_of_count"]
        findings.append(
            f"An estimated {fmt_count(c['central'])} of them (between {fmt_count(c['low'])} and "
            f"{fmt_count(c['high'])}), {fmt_pct(s['central'])}% of all crime (between "
            f"{fmt_pct(s['low'])}% and {fmt_pct(s['high'])}%), were attributable to serious "
            "organised crime, taking the share of each crime type given under 'Harm weights "
            "and SOC fractions used'.")
    marker = f["soc"].get("marker")
    if marker and marker["carried"]:
        findings.append(f"The force's extract marks {_n(marker['count'])} crimes as linked to "
                        "serious organised crime.")
    parent = next((c for c in f["comparison"] if c["role"] == "parent"), None)
    if parent and parent["rate_total"] and f["rate_total"]:
        ratio = f["rate_total"] / parent["rate_total"]
        findings.append(f"The crime rate was {ratio:.1f} times that of {parent['name']}.")
    flagged = [c for c in f["trend"]["year_on_year"] if c.get("flag")]
    for c in flagged[:4]:
        findings.append(f"{c['crime_type']} went {c['flag']} from {_n(c['previous'])} to "
                        f"{_n(c['current'])} on the same months a year earlier, beyond "
                        "normal variation.")
    if f["hotspots"]["available"]:
        findings.append(f"{len(f['hotspots']['hot'])} small area(s) are significant hotspots "
                        "of crime.")
    soc = ", ".join(f"{t.lower()} {_n(counts[t])}" for t in f["soc"]["crime_types"])
    return {
        "key_findings": "\n".join(findings),
        "threat": f"Recorded crime of the types often linked to serious organised crime, most "
                  f"of which is not organised crime, in the period: {soc}.",
        "vulnerability": "Places: the hotspots and repeat locations below. Communities: the "
                         "deprivation section shows how crime falls across the most and least "
                         "deprived neighbourhoods.",
        "risk": "",
        "intelligence_gaps": "Recorded crime shows only what is reported. Add what partners "
                             "know that the figures do not show.",
        **{key: "" for key in action_keys(f)},
    }


# --- The sharing version ------------------------------------------------------------------

def sharing_version(f: dict) -> dict:
    """The figures with small counts hidden, and the counts that would reveal them.

    One frame holds every count the report publishes for the area (by crime type, by month,
    by small area, by deprivation decile, outcomes), tied to the totals they add up to, so
    a hidden figure cannot be worked out from any table. Rates and harm derived from a
    hidden count are hidden with it."""
    f = copy.deepcopy(f)
    frame = Frame()
    types = f["crime_types"]
    for t in types:
        frame.add(("type", t), f["counts_by_crime_type"][t])
    frame.add(("total",), f["total"])
    frame.total(("total",), [("type", t) for t in types])
    frame.add(("harm",), f["harm"]["total"], count=False)
    frame.total(("harm",), [("type", t) for t in types],
                weights={("type", t): f["harm"]["weights"][t] for t in types})
    for m in f["trend"]["monthly"]:
        for t in types:
            frame.add(("month", m["month"], t), m["counts"][t])
        frame.add(("month_total", m["month"]), m["total"])
        frame.total(("month_total", m["month"]), [("month", m["month"], t) for t in types])
    if f["trend"]["monthly"] and len(f["trend"]["monthly"]) == len(f["period"]["months"]):
        for t in types:
            frame.total(("type", t), [("month", m["month"], t) for m in f["trend"]["monthly"]])
    for r in f["lsoas"]:
        frame.add(("lsoa", r["code"]), r["count"])
    frame.total(("total",), [("lsoa", r["code"]) for r in f["lsoas"]])
    for d in f["deprivation"]["by_decile"]:
        frame.add(("decile", d["decile"]), d["count"])
        frame.total(("decile", d["decile"]), [("lsoa", r["code"]) for r in f["lsoas"]
                                               if r["imd_decile"] == d["decile"]])
    for part in f["deprivation"].get("by_index") or []:  # an area spanning a border
        for d in part["by_decile"]:
            key = ("decile", part["index"], d["decile"])
            frame.add(key, d["count"])
            frame.total(key, [("lsoa", r["code"]) for r in f["lsoas"]
                              if r.get("index") == part["index"]
                              and r["imd_decile"] == d["decile"]])
    for o, n in f["outcomes"]["last_outcome"].items():
        frame.add(("outcome", o), n)
    out = frame.suppress()

    def shown(key):
        return out[key].shown

    hidden = {k for k, v in out.items() if v.suppressed}
    f["counts_by_crime_type"] = {t: shown(("type", t)) for t in types}
    f["total"] = shown(("total",))
    f["rates_per_1000"] = {t: MARK if ("type", t) in hidden else r
                           for t, r in f["rates_per_1000"].items()}
    if ("total",) in hidden:
        f["rate_total"] = MARK
    f["harm"]["by_crime_type"] = {t: MARK if ("type", t) in hidden else h
                                  for t, h in f["harm"]["by_crime_type"].items()}
    if ("harm",) in hidden:
        f["harm"]["total"] = f["harm"]["per_1000"] = MARK
    if any(("type", t) in hidden for t in f["soc"]["crime_types"]):
        f["soc"]["count"] = f["soc"]["harm"] = MARK
        f["soc"]["share_of_harm"] = f["soc"]["share_of_count"] = MARK
    estimate = f["soc"].get("estimate")
    if estimate and any(("type", t) in hidden and any(estimate["fractions"][t].values())
                        for t in types):
        # With the fractions printed, an estimate would give back a hidden count.
        for key in ("count", "harm", "share_of_count", "share_of_harm"):
            estimate[key] = dict.fromkeys(ESTIMATES, MARK)
    marker = f["soc"].get("marker")
    if marker and marker["carried"]:
        marker["by_crime_type"] = _series(marker["by_crime_type"])
        if 0 < marker["count"] < 5:
            marker["count"] = MARK
    for m in f["trend"]["monthly"]:
        m["counts"] = {t: shown(("month", m["month"], t)) for t in types}
        m["total"] = shown(("month_total", m["month"]))
    for c in f["trend"]["year_on_year"]:
        key = ("total",) if c["crime_type"] == "All crime" else ("type", c["crime_type"])
        if key in hidden or (c["previous"] and 0 < c["previous"] < 5):
            c.update(current=MARK, previous=MARK, change=MARK, change_pct=MARK)
    for r in f["lsoas"]:
        if ("lsoa", r["code"]) in hidden:
            r["count"] = r["rate"] = MARK
        for key in ("soc_count", "harm"):
            r[key] = MARK  # not published per small area in the sharing version
    for d in f["deprivation"]["by_decile"]:
        if ("decile", d["decile"]) in hidden:
            d["count"] = d["rate"] = MARK
    for part in f["deprivation"].get("by_index") or []:
        for d in part["by_decile"]:
            if ("decile", part["index"], d["decile"]) in hidden:
                d["count"] = d["rate"] = MARK
    f["outcomes"]["last_outcome"] = {o: shown(("outcome", o)) for o in f["outcomes"]["last_outcome"]}
    f["outcomes"]["outcomes_file"] = _series(f["outcomes"]["outcomes_file"])
    if f["outcomes"].get("outcomes_file_share"):
        # A share would give back the count it was worked out from.
        f["outcomes"]["outcomes_file_share"] = {
            o: MARK if f["outcomes"]["outcomes_file"][o] == MARK else share
            for o, share in f["outcomes"]["outcomes_file_share"].items()}
    if f["outcomes"].get("outcomes_file_total") and f["outcomes"]["outcomes_file_total"] < 5:
        f["outcomes"]["outcomes_file_total"] = MARK
    f["repeat_locations"] = [r for r in f["repeat_locations"] if r["repeat_incidents"] >= 5]
    for r in f["repeat_locations"]:
        r["most_at_one_place"] = r["most_at_one_place"] if r["most_at_one_place"] >= 5 else MARK
        r["repeat_places"] = r["repeat_places"] if r["repeat_places"] >= 5 else MARK
    if f["stop_search"]:
        s = f["stop_search"]
        s["by_object"], s["by_outcome"] = _series(s["by_object"]), _series(s["by_outcome"])
        if 0 < s["total"] < 5:
            s["total"] = MARK
    for c in f["comparison"]:
        if c["role"] == "area":
            c["counts"], c["rates"] = dict(f["counts_by_crime_type"]), dict(f["rates_per_1000"])
            c["total"], c["rate_total"] = f["total"], f["rate_total"]
            continue
        frame = Frame()
        for t, n in c["counts"].items():
            frame.add(t, n)
        frame.add("total", c["total"])
        frame.total("total", list(c["counts"]))
        other = frame.suppress()
        c["counts"] = {t: other[t].shown for t in c["counts"]}
        c["rates"] = {t: MARK if other[t].suppressed else r for t, r in c["rates"].items()}
        c["total"] = other["total"].shown
    for force in f["force_totals"]:
        for key in ("total", "without_lsoa", "without_location"):
            if 0 < force[key] < 5:
                force[key] = MARK
    f["sharing"] = True
    return f


def _series(values):
    if not values:
        return values
    frame = Frame()
    for k, n in values.items():
        frame.add(k, n)
    frame.add("__total__", sum(values.values()))
    frame.total("__total__", list(values))
    out = frame.suppress()
    return {k: out[k].shown for k in values}


# --- Charts ----------------------------------------------------------------------------------

def _svg_data_uri(spec) -> str:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def charts(f: dict) -> list[dict]:
    """Vega-Lite charts rendered to SVG, each with the table a screen reader reads instead."""
    import altair as alt

    out = []
    by_type = [{"crime_type": t, "count": n} for t, n in f["counts_by_crime_type"].items()
               if isinstance(n, int)]
    chart = alt.Chart(alt.Data(values=by_type)).mark_bar(color="#1d70b8").encode(
        x=alt.X("count:Q", title=_("Crimes and incidents")),
        y=alt.Y("crime_type:N", sort="-x", title=None),
    ).properties(width=380, height=230)
    out.append({"id": "by-type", "title": _("Crime by type"),
                "src": _svg_data_uri(chart.to_dict()),
                "headers": [_("Crime type"), _("Count")],
                "rows": [[t, fmt_count(n)] for t, n in f["counts_by_crime_type"].items()]})
    monthly = [{"month": m["month"], "count": m["total"]} for m in f["trend"]["monthly"]
               if isinstance(m["total"], int)]
    if monthly:
        chart = alt.Chart(alt.Data(values=monthly)).mark_line(point=True, color="#1d70b8").encode(
            x=alt.X("month:O", title=_("Month")),
            y=alt.Y("count:Q", title=_("Crimes and incidents")),
        ).properties(width=380, height=220)
        out.append({"id": "monthly", "title": _("Crime by month"),
                    "src": _svg_data_uri(chart.to_dict()), "headers": [_("Month"), _("Count")],
                    "rows": [[month_name(m["month"]), fmt_count(m["total"])]
                             for m in f["trend"]["monthly"]]})
    # Deciles are numbers, sorted as numbers: as text the axis would read 1, 10, 2, 3...
    # One chart per index: deciles of different nations' indices are never mixed.
    parts = f["deprivation"].get("by_index") or [f["deprivation"]]
    for part in parts:
        deciles = [{"decile": int(d["decile"]), "rate": d["rate"]}
                   for d in sorted(part["by_decile"], key=lambda d: int(d["decile"]))
                   if isinstance(d["rate"], (int, float))]
        if not deciles:
            continue
        label = index_label(part.get("index_label")) or _("deprivation")
        chart = alt.Chart(alt.Data(values=deciles)).mark_bar(color="#4c2c92").encode(
            x=alt.X("decile:O", title=_("%(index)s decile (1 is most deprived)") % {"index": label},
                    sort=list(range(1, 11)), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("rate:Q", title=_("Crimes per 1,000 residents")),
        ).properties(width=380, height=220)
        out.append({"id": "deciles", "title": _("Crime rate by %(index)s decile") % {"index": label},
                    "index": part.get("index"), "src": _svg_data_uri(chart.to_dict()),
                    "headers": [_("Decile"), _("Crimes per 1,000 residents")],
                    "rows": [[d["decile"], fmt_rate(d["rate"])] for d in sorted(
                        part["by_decile"], key=lambda d: int(d["decile"]))]})
    return out


# --- Files -----------------------------------------------------------------------------------

def to_json(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def csv_tables(f: dict) -> dict[str, list[list]]:
    types = f["crime_types"]
    tables = {
        "counts_by_crime_type.csv": [["crime_type", "count", "rate_per_1000", "harm_weight",
                                      "harm", "soc_fraction_low", "soc_fraction_central",
                                      "soc_fraction_high", "soc_marked"]] + [
            [t, f["counts_by_crime_type"][t], f["rates_per_1000"][t], f["harm"]["weights"][t],
             f["harm"]["by_crime_type"][t], *_fractions(f, t), _marked(f, t)] for t in types],
        "comparison.csv": [["role", "type", "code", "name", "population", "imd_score", "total",
                            "rate_per_1000", *types]] + [
            [c["role"], c["type"], c["code"], c["name"], c["population"], c["imd_score"],
             c["total"], c["rate_total"], *[c["counts"][t] for t in types]]
            for c in f["comparison"]],
        "monthly.csv": [["month", "total", *types]] + [
            [m["month"], m["total"], *[m["counts"][t] for t in types]]
            for m in f["trend"]["monthly"]],
        "year_on_year.csv": [["crime_type", "current", "previous", "change", "change_pct",
                              "p_value", "q_value", "flag"]] + [
            [c["crime_type"], c["current"], c["previous"], c["change"], c["change_pct"],
             c["p_value"], c.get("q_value"), c.get("flag") or ""]
            for c in f["trend"]["year_on_year"]],
        "small_areas.csv": [["code", "name", "population", "imd_decile", "imd_score", "count",
                             "rate_per_1000", "gi_z", "gi_q", "hotspot", "moran_cluster"]] + [
            [r["code"], r["name"], r["population"], r["imd_decile"], r["imd_score"], r["count"],
             r["rate"], r.get("gi_z"), r.get("gi_q"), r.get("hotspot", ""), r.get("moran", "")]
            for r in by_rate(f["lsoas"])],
        "deprivation_deciles.csv": [["decile", "lsoas", "population", "count", "rate_per_1000"]]
        + [[d["decile"], d["lsoas"], d["population"], d["count"], d["rate"]]
           for d in f["deprivation"]["by_decile"]],
        "outcomes.csv": [["last_outcome_category", "count"]] + [
            [o, n] for o, n in f["outcomes"]["last_outcome"].items()],
    }
    estimate = f["soc"].get("estimate")
    if estimate:
        tables["soc_estimate.csv"] = [["measure", *ESTIMATES]] + [
            [key, *[estimate[key][level] for level in ESTIMATES]]
            for key in ("count", "share_of_count", "harm", "share_of_harm")]
    if f["outcomes"].get("outcomes_file"):
        shares = f["outcomes"].get("outcomes_file_share") or {}
        tables["outcomes_recorded.csv"] = [["outcome_type", "count", "share_pct"]] + [
            [o, n, shares.get(o)] for o, n in f["outcomes"]["outcomes_file"].items()]
    if f["stop_search"]:
        tables["stop_search.csv"] = [["breakdown", "value", "searches"]] + [
            ["object_of_search", o, n] for o, n in f["stop_search"]["by_object"].items()] + [
            ["outcome", o, n] for o, n in f["stop_search"]["by_outcome"].items()]
    return tables


def _fractions(f, t):
    estimate = f["soc"].get("estimate")
    if not estimate:
        return ["", "", ""]
    return [estimate["fractions"][t][level] for level in ESTIMATES]


def _marked(f, t):
    marker = f["soc"].get("marker")
    return marker["by_crime_type"][t] if marker and marker["carried"] else ""


def by_rate(rows):
    """Small areas, highest rate first (hidden or missing rates last), then by code."""
    return sorted(rows, key=lambda r: (
        -(r["rate"] if isinstance(r["rate"], (int, float)) else -1), r["code"]))


TOP_AREAS = 20  # small areas listed in the report; the full table is one click away


def to_csv_zip(f: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, rows in csv_tables(f).items():
            text = io.StringIO()
            spreadsheet.writer(text, lineterminator="\n").writerows(rows)
            z.writestr(name, text.getvalue())
    return buffer.getvalue()


def template_context(doc: dict) -> dict:
    """What the report templates need besides the document."""
    ranked = by_rate(doc["lsoas"])
    top = ranked[:TOP_AREAS]
    estimate = doc["soc"].get("estimate")
    fractions = estimate["fractions"] if estimate else {}
    texts = [{**t, "title": section_label(t["key"])} if t["key"] in SECTION_LABELS else t
             for t in doc["texts"]]
    return {
        "charts": charts(doc),
        "ds": [t for t in texts if t["key"] in FOUR_DS],
        "ps": [t for t in texts if t["key"] in FOUR_PS],
        # Nine empty rows say less than one sentence does, and cost a reader a screen.
        "actions_written": any(t["text"] for t in texts if t["key"] in FOUR_DS + FOUR_PS),
        "key_findings": next((t for t in texts if t["key"] == "key_findings"), None),
        "sections": [t for t in texts if t["key"] not in FOUR_DS + FOUR_PS + ["key_findings"]],
        "type_rows": [{"crime_type": t, "count": doc["counts_by_crime_type"][t],
                       "rate": doc["rates_per_1000"][t], "weight": doc["harm"]["weights"][t],
                       "harm": doc["harm"]["by_crime_type"][t], "often_soc": t in doc["soc"]["crime_types"],
                       "fraction": fractions.get(t),
                       "attributable": _attributable(doc["counts_by_crime_type"][t],
                                                     fractions.get(t))}
                      for t in doc["crime_types"]],
        "fractions_used": [(t, fr) for t, fr in fractions.items() if any(fr.values())],
        "trend_shown": [c for c in doc["trend"]["year_on_year"]
                        if c.get("flag") or c["crime_type"] == "All crime"],
        "top_rows": top,
        "other_hotspots": [r for r in ranked[TOP_AREAS:] if r.get("hotspot") == "hot"],
        "lsoa_rows": ranked,
        "top_areas": TOP_AREAS,
    }


def _attributable(count, fraction):
    if not fraction or not isinstance(count, int):
        return None
    return {level: count * fraction[level] for level in ESTIMATES}


# The map in the files: the same fifths and outlines as the page's map (profiles/map.js).
RATE_COLOURS = ["#fde0c5", "#f9b384", "#f0814f", "#d4351c", "#8c1d12"]
NO_RATE_COLOUR = "#b1b4b6"
HOTSPOT_COLOUR = "#1d70b8"
FIFTHS = [gettext_noop("Lowest fifth"), gettext_noop("Second fifth"),
          gettext_noop("Middle fifth"), gettext_noop("Fourth fifth"),
          gettext_noop("Highest fifth"), gettext_noop("Hidden or no data")]


def _clockwise(geometry):
    """Vega draws polygons on the sphere, where an outer ring must run clockwise; GeoJSON's
    run anticlockwise, which Vega reads as the whole world but the area."""
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry.polygon import orient

    if isinstance(geometry, Polygon):
        return orient(geometry, sign=-1.0)
    if isinstance(geometry, MultiPolygon):
        return MultiPolygon([orient(p, sign=-1.0) for p in geometry.geoms])
    return geometry


def map_svg(features: dict) -> str | None:
    """The small areas shaded by rate fifth with hotspots outlined, as an SVG data URI, for
    the PDF and HTML files (which cannot load a tiled map); None without boundaries."""
    import altair as alt
    from shapely.geometry import mapping, shape

    if not features["features"]:
        return None
    rates = sorted(f["properties"]["rate"] for f in features["features"]
                   if isinstance(f["properties"]["rate"], (int, float)))
    fifths = [_(label) for label in FIFTHS]  # the legend's words, in the reader's language

    def fifth(rate):
        if not isinstance(rate, (int, float)) or not rates:
            return fifths[5]
        below = sum(1 for r in rates if r < rate)
        return fifths[min(4, (5 * below) // len(rates))]

    shaded, hot = [], []
    for f in features["features"]:
        # Simplified to about 10 metres: the map is a page wide, and the file stays small.
        geometry = mapping(_clockwise(shape(f["geometry"]).simplify(0.0001,
                                                                    preserve_topology=True)))
        feature = {"type": "Feature", "geometry": geometry,
                   "properties": {"fifth": fifth(f["properties"]["rate"])}}
        shaded.append(feature)
        if f["properties"]["hotspot"] == "hot":
            hot.append(feature)

    def layer(values):
        return alt.InlineData(values={"type": "FeatureCollection", "features": values},
                              format=alt.DataFormat(property="features", type="json"))

    base = alt.Chart(layer(shaded)).mark_geoshape(stroke="#505a5f", strokeWidth=0.4).encode(
        color=alt.Color("properties.fifth:N", title=_("Rate per 1,000"),
                        scale=alt.Scale(domain=fifths, range=[*RATE_COLOURS, NO_RATE_COLOUR]),
                        legend=alt.Legend(orient="right", titleLimit=200, labelLimit=200)))
    layers = [base]
    if hot:
        layers.append(alt.Chart(layer(hot)).mark_geoshape(
            filled=False, stroke=HOTSPOT_COLOUR, strokeWidth=2.5))
    chart = alt.layer(*layers).properties(width=520, height=440).project(type="mercator")
    return _svg_data_uri(chart.to_dict())
