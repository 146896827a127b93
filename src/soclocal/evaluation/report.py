"""The evaluation as a document and a report: the full version, the sharing version with
small counts hidden (core/disclosure.py), charts, and the HTML, PDF and JSON files.

The JSON keys are documented in docs/evaluation-data.md.
"""

import base64
import copy
import json
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from soclocal.core.disclosure import Frame

from . import linkage as linking
from .outcomes import (
    COMPARISON,
    ENGAGED,
    GROUP_LABELS,
    HEADLINE,
    MEASURE_LABELS,
    MEASURES,
    OFFENCE_GROUP_LABEL,
)

SCHEMA = "soclocal-evaluation/1"

# The method and caveats are kept in English in the document (its JSON); the report shows
# them in the reader's language (displayed()).
METHOD = [
    gettext_noop(
        "Each young person referred to the early intervention service was looked for in the "
        "police extract by name, date of birth and postcode, with a probabilistic model "
        "(Splink) that weighs how well each field agrees. Date of birth must agree closely. "
        "Pairs with a match probability of %(link)s or more are taken as the same person; "
        "pairs from %(review)s up to that are uncertain and are confirmed or rejected by a "
        "person before they count. Each young person is linked to at most one police record."),
    gettext_noop(
        "Once linked, names and dates of birth are no longer used: each young person is kept "
        "only as a pseudonymous key (a keyed hash), with their group, area, month of referral "
        "and the police events linked to them."),
    gettext_noop(
        "For each young person, arrests, offences and missing episodes are counted in equal "
        "windows of %(months)s calendar months before and after the date of referral (the "
        "window after starts on the day of referral). Young people whose windows the police "
        "data does not fully cover are left out of that window's figures. Young people not "
        "found in the police data count as having no police events."),
    gettext_noop(
        "The change from before to after among those who engaged with the service is compared "
        "with the change in the comparison group over the same windows "
        "(difference-in-differences). The difference per person comes from a linear model and "
        "the ratio of rates from a Poisson model; both have standard errors clustered by person "
        "and 95%% confidence intervals from Student's t distribution with one degree of freedom "
        "fewer than the number of young people."),
]

CAVEATS = [
    (gettext_noop("Selection"), gettext_noop(
        "Young people choose whether to engage, and those who do may differ from "
        "those who do not in ways the figures cannot see. The comparison group is not a "
        "randomised control group, so the estimates are associations, not proof that the "
        "service caused the change.")),
    (gettext_noop("Regression to the mean"), gettext_noop(
        "Young people are often referred after a spell of more "
        "police contact than usual. Some fall afterwards would happen anyway; the comparison "
        "group is referred at the same kind of moment, which takes some, but not all, of this "
        "into account. The trend before referral is shown so readers can judge it.")),
    (gettext_noop("Small numbers"), gettext_noop(
        "With few young people in a group, an area or a period, the intervals "
        "are wide and a difference may be chance. In the sharing version, counts from 1 to 4, "
        "and counts that would reveal them, are hidden and shown as [c].")),
    (gettext_noop("Linkage"), gettext_noop(
        "Young people missed by the linkage, or linked to the wrong person, blur the "
        "figures. The linkage quality section gives how many were found and how sure the "
        "links are.")),
    (gettext_noop("Police data"), gettext_noop(
        "Police data records only what the police knew: offences nobody reported "
        "and missing episodes not notified are not in it.")),
]


def method(months, translate=lambda text: text) -> list[str]:
    """The method's paragraphs for windows of `months` months (English unless translated)."""
    values = {"link": f"{linking.LINK:.0%}", "review": f"{linking.REVIEW:.0%}",
              "months": months}
    return [translate(p) % values for p in METHOD]


def measure_label(estimate: dict) -> str:
    """A measure's label (kept in English in the document) in the reader's language."""
    key = estimate.get("measure", "")
    if key.startswith("offences_") and key in MEASURE_LABELS:
        return _(OFFENCE_GROUP_LABEL) % {"group": key[len("offences_"):].replace("_", " ")}
    return _(MEASURE_LABELS[key]) if key in MEASURE_LABELS else estimate.get("label", key)


def displayed(doc: dict) -> dict:
    """The document as a report shows it: its fixed English texts (method, caveats, measure
    names) in the reader's language. The JSON file and the stored document keep English; a
    text that is not one of today's known ones is shown as it was stored."""
    shown = dict(doc)
    if doc.get("method") == method(doc.get("window_months")):
        shown["method"] = method(doc["window_months"], _)
    known = dict(CAVEATS)
    shown["caveats"] = [{"title": _(c["title"]), "text": _(c["text"])}
                        if known.get(c.get("title")) == c.get("text") else c
                        for c in doc.get("caveats") or []]

    def labelled(estimates):
        return [{**e, "label": measure_label(e)} if e.get("label") == MEASURE_LABELS.get(
            e.get("measure")) else e for e in estimates]

    shown["estimates"] = labelled(doc.get("estimates") or [])
    shown["windows"] = [{**w, "estimates": labelled(w.get("estimates") or [])}
                        for w in doc.get("windows") or []]
    pre_trend = doc.get("pre_trend") or {}
    if isinstance(pre_trend.get("placebo"), dict):
        shown["pre_trend"] = {**pre_trend, "placebo": {
            k: labelled([e])[0] if isinstance(e, dict) else e
            for k, e in pre_trend["placebo"].items()}}
    return shown


def linkage_summary(found: "linking.Linkage", engaged: dict, *, confirmed=0, rejected=0) -> dict:
    """Linkage counts for the report; `engaged` is {cohort ref: bool}."""
    linked = {c.cohort_ref for c in found.links}
    bands = {"0.99 and above": 0, "0.9 to 0.99": 0, "uncertain (0.4 to 0.9)": 0}
    for c in found.candidates:
        if c.probability >= 0.99:
            bands["0.99 and above"] += 1
        elif c.certain:
            bands["0.9 to 0.99"] += 1
        else:
            bands["uncertain (0.4 to 0.9)"] += 1
    by_group = {}
    for group, flag in ((ENGAGED, True), (COMPARISON, False)):
        refs = [r for r, e in engaged.items() if e == flag]
        by_group[group] = {"people": len(refs), "found": sum(1 for r in refs if r in linked)}
    n = found.cohort_size
    return {
        "cohort": n, "police_people": found.police_size, "found": len(linked),
        "not_found": n - len(linked),
        "found_share": round(len(linked) / n, 4) if n else None,
        "uncertain": len(found.uncertain), "confirmed_by_review": confirmed,
        "rejected_by_review": rejected,
        "link_threshold": linking.LINK, "review_threshold": linking.REVIEW,
        "probability_bands": bands, "by_group": by_group,
    }


def _window(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "person_rows"}


def build_document(results: list, *, linkage: dict, comparison: str, data_from, data_to,
                   source: dict, built_on: date, star: dict | None = None,
                   comparison_group: str = "not_engaged") -> dict:
    """The full document: the first window is the main one; the others follow in
    `windows`."""
    main = _window(results[0])
    return {
        "schema": SCHEMA,
        "title": "Outcome evaluation against police data",
        "built_on": built_on.isoformat(),
        "sharing": False,
        "comparison": {"group": comparison_group, "description": comparison},
        "data_period": {"from": data_from.isoformat() if data_from else None,
                        "to": data_to.isoformat() if data_to else None},
        "source": source,
        "linkage": linkage,
        "window_months": main["months"],
        "people": main["people"],
        "not_followed_up": main["not_followed_up"],
        "groups": main["groups"],
        "estimates": main["estimates"],
        "pre_trend": main["pre_trend"],
        "by_area": main["by_area"],
        "by_period": main["by_period"],
        "windows": [{k: _window(r)[k] for k in ("months", "people", "not_followed_up",
                                                 "groups", "estimates")} for r in results],
        "star": star,
        "method": method(main["months"]),
        "caveats": [{"title": t, "text": x} for t, x in CAVEATS],
    }


# --- The sharing version ------------------------------------------------------------------

def _suppress_groups(frame, prefix, groups):
    """Add one groups table's counts to a frame: people, and each measure's before and after
    totals (offences tied to the offence groups)."""
    keys = {}
    offence_groups = [k for k, _label, _unit in MEASURES if k.startswith("offences_")]
    for g, s in groups.items():
        keys[(g, "people")] = frame.add((*prefix, g, "people"), s["people"])
        for m, figures in s["measures"].items():
            for side in ("before", "after"):
                keys[(g, m, side)] = frame.add((*prefix, g, m, side), figures[side])
        for side in ("before", "after"):
            frame.total((*prefix, g, "offences", side),
                        [(*prefix, g, m, side) for m in offence_groups])
    return keys


def sharing_version(doc: dict) -> dict:
    """The document with counts from 1 to 4, and the counts that would reveal them, hidden;
    means and estimates resting on a hidden count are hidden with it. Person-level figures
    are never in a document."""
    doc = copy.deepcopy(doc)
    doc["sharing"] = True
    # Linkage: the cohort, found and not found, by group.
    link = doc["linkage"]
    frame = Frame()
    frame.add("cohort", link["cohort"])
    frame.add("found", link["found"])
    frame.add("not_found", link["not_found"])
    frame.total("cohort", ["found", "not_found"])
    for g, s in link["by_group"].items():
        frame.add((g, "people"), s["people"])
        frame.add((g, "found"), s["found"])
        frame.add((g, "not_found"), s["people"] - s["found"])
        frame.total((g, "people"), [(g, "found"), (g, "not_found")])
    frame.total("found", [(g, "found") for g in link["by_group"]])
    frame.total("cohort", [(g, "people") for g in link["by_group"]])
    for band, n in link["probability_bands"].items():
        frame.add(("band", band), n)
    out = frame.suppress()
    for key in ("cohort", "found", "not_found"):
        link[key] = out[key].shown
    if out["found"].suppressed or out["cohort"].suppressed:
        link["found_share"] = "[c]"
    for g, s in link["by_group"].items():
        s["people"], s["found"] = out[(g, "people")].shown, out[(g, "found")].shown
    link["probability_bands"] = {b: out[("band", b)].shown for b in link["probability_bands"]}
    for w in [doc, *doc["windows"]]:
        _share_window(w, doc if w is doc else None)
    return doc


def _share_window(w, main):
    frame = Frame()
    _suppress_groups(frame, ("all",), w["groups"])
    breakdowns = []
    if main is not None:
        for name in ("by_area", "by_period"):
            for row in main[name]:
                for g, s in row["groups"].items():
                    frame.add((name, row["value"], g, "people"), s["people"])
                    for m in ("arrests", "missing_episodes"):
                        for side in ("before", "after"):
                            frame.add((name, row["value"], g, m, side), s[m][side])
            for g in (ENGAGED, COMPARISON):
                frame.total(("all", g, "people"),
                            [(name, r["value"], g, "people") for r in main[name]])
                for m in ("arrests", "missing_episodes"):
                    for side in ("before", "after"):
                        frame.total(("all", g, m, side),
                                    [(name, r["value"], g, m, side) for r in main[name]])
            breakdowns.append(name)
    out = frame.suppress()
    for g, s in w["groups"].items():
        s["people"] = out[("all", g, "people")].shown
        for m, figures in s["measures"].items():
            for side in ("before", "after"):
                hidden = out[("all", g, m, side)].suppressed or out[("all", g, "people")].suppressed
                figures[side] = out[("all", g, m, side)].shown
                if hidden:
                    figures[f"{side}_mean"] = "[c]"
    for est in w["estimates"]:
        for part in (est, est.get("found_only") or {}):
            for key in ("n_engaged", "n_comparison"):
                if isinstance(part.get(key), int) and 0 < part[key] < 5:
                    part[key] = "[c]"
    if main is None:
        return
    for name in breakdowns:
        for row in main[name]:
            hidden_group = False
            for g, s in row["groups"].items():
                people = out[(name, row["value"], g, "people")]
                s["people"] = people.shown
                hidden_group |= bool(people.suppressed)
                for m in ("arrests", "missing_episodes"):
                    for side in ("before", "after"):
                        cell = out[(name, row["value"], g, m, side)]
                        s[m][side] = cell.shown
                        if cell.suppressed or people.suppressed:
                            s[m][f"{side}_mean"] = "[c]"
            if hidden_group:
                row["arrests"] = {**row["arrests"], "difference": None, "ratio": None,
                                  "n_engaged": "[c]", "n_comparison": "[c]",
                                  "note": "Hidden: too few people to publish."}
    # The monthly trend: hide a month's mean when its events number 1 to 4.
    for series in main["pre_trend"]["monthly"].values():
        for point in series:
            for g in (ENGAGED, COMPARISON):
                events = point.pop(f"{g}_events", None)
                if events is not None and 0 < events < 5:
                    point[g] = None


# --- Charts ----------------------------------------------------------------------------------

def _svg_data_uri(spec) -> str:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _number(value, places=2):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{places}f}"


def charts(doc: dict) -> list[dict]:
    """Vega-Lite charts drawn to SVG, each with a table of its figures."""
    import altair as alt

    out = []
    bars, rows = [], []
    sides = {"before": _("before"), "after": _("after")}
    for m in ("arrests", "offences", "missing_episodes"):
        for g in (ENGAGED, COMPARISON):
            figures = doc["groups"][g]["measures"][m]
            for side in ("before", "after"):
                value = figures[f"{side}_mean"]
                if isinstance(value, (int, float)):
                    bars.append({"measure": _(MEASURE_LABELS[m]), "group": _(GROUP_LABELS[g]),
                                 "when": sides[side], "mean": value})
                rows.append([f"{_(MEASURE_LABELS[m])}, {_(GROUP_LABELS[g]).lower()}, "
                             f"{sides[side]}", _number(value)])
    if bars:
        chart = alt.Chart(alt.Data(values=bars)).mark_bar().encode(
            x=alt.X("when:N", title=None, sort=list(sides.values())),
            y=alt.Y("mean:Q", title=_("Per young person")),
            color=alt.Color("when:N", sort=list(sides.values()),
                            scale=alt.Scale(range=["#505a5f", "#1d70b8"]), title=None),
            column=alt.Column("group:N", title=None),
            row=alt.Row("measure:N", title=None),
        ).properties(width=140, height=110)
        out.append({"id": "before-after", "title": _(
                        "Events per young person in the %(months)s months before and after "
                        "referral") % {"months": doc["window_months"]},
                    "src": _svg_data_uri(chart.to_dict()), "headers": [_("Figure"), _("Mean")],
                    "rows": rows})
    points, rows = [], []
    for point in doc["pre_trend"]["monthly"].get("arrests", []):
        for g in (ENGAGED, COMPARISON):
            if isinstance(point.get(g), (int, float)):
                points.append({"month": point["month"], "group": _(GROUP_LABELS[g]),
                               "mean": point[g]})
        rows.append([_("Month %(month)s") % {"month": f"{point['month']:+d}"},
                     _("%(engaged)s engaged; %(comparison)s comparison") % {
                         "engaged": _number(point.get(ENGAGED), 3),
                         "comparison": _number(point.get(COMPARISON), 3)}])
    if points:
        chart = alt.Chart(alt.Data(values=points)).mark_line(point=True).encode(
            x=alt.X("month:Q", title=_("Months from referral (0 is the month of referral)")),
            y=alt.Y("mean:Q", title=_("Arrests per young person")),
            color=alt.Color("group:N", scale=alt.Scale(range=["#1d70b8", "#d4351c"]),
                            title=None),
        ).properties(width=420, height=200)
        out.append({"id": "trend", "title": _("Arrests by month before and after referral"),
                    "src": _svg_data_uri(chart.to_dict()),
                    "headers": [_("Month"), _("Arrests per young person")], "rows": rows})
    estimates = [e for e in doc["estimates"] if e["measure"] in HEADLINE and e.get("difference")]
    if estimates:
        data = [{"measure": measure_label(e), "estimate": e["difference"]["estimate"],
                 "low": e["difference"]["ci_low"], "high": e["difference"]["ci_high"]}
                for e in estimates]
        base = alt.Chart(alt.Data(values=data))
        chart = (base.mark_rule(color="#0b0c0c").encode(
            x=alt.X("low:Q", title=_("Difference per young person (95% interval)")),
            x2="high:Q",
            y=alt.Y("measure:N", title=None))
            + base.mark_point(filled=True, size=80, color="#1d70b8").encode(
                x="estimate:Q", y="measure:N")
            + alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(
                strokeDash=[4, 4], color="#505a5f").encode(x="zero:Q")
        ).properties(width=420, height=140)
        out.append({"id": "estimates", "title": _("Difference-in-differences with 95% intervals"),
                    "src": _svg_data_uri(chart.to_dict()),
                    "headers": [_("Measure"), _("Difference (95% interval)")],
                    "rows": [[d["measure"], _("%(estimate)s (%(low)s to %(high)s)") % {
                        "estimate": f"{d['estimate']:+.2f}", "low": f"{d['low']:+.2f}",
                        "high": f"{d['high']:+.2f}"}] for d in data]})
    return out


def template_context(doc: dict) -> dict:
    """What the report templates need besides the document."""
    def est_rows(estimates):
        return [e for e in estimates]

    estimates = displayed(doc)["estimates"]
    offence_rows = [e for e in estimates if e["measure"].startswith("offences_")]
    return {
        "charts": charts(doc),
        "headline": [e for e in estimates if e["measure"] in HEADLINE],
        "offence_estimates": est_rows(offence_rows),
        "group_rows": [
            {"key": key, "label": measure_label({"measure": key}),
             "engaged": doc["groups"][ENGAGED]["measures"][key],
             "comparison": doc["groups"][COMPARISON]["measures"][key]}
            for key, _label, _unit in MEASURES],
        "engaged_label": _(GROUP_LABELS[ENGAGED]),
        "comparison_label": _(GROUP_LABELS[COMPARISON]),
        "headline_keys": HEADLINE,
        "breakdowns": [("by_area", _("By area"), doc["by_area"]),
                       ("by_period", _("By year of referral"), doc["by_period"])],
    }


def to_json(doc: dict) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False)


def render_html(doc: dict, *, title: str) -> str:
    """The report as one self-contained HTML file."""
    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string

    css_path = finders.find("profiles/report.css")
    css = open(css_path, encoding="utf-8").read() if css_path else ""
    return render_to_string("evaluation/report_file.html", {
        "doc": displayed(doc), "title": title, "css": css, **template_context(doc)})


def render(doc: dict, fmt: str, *, title: str):
    """(content, content type) of the document in a format."""
    if fmt == "json":
        return to_json(doc), "application/json"
    html = render_html(doc, title=title)
    if fmt == "html":
        return html, "text/html; charset=utf-8"
    if fmt == "pdf":
        from weasyprint import HTML

        return HTML(string=html).write_pdf(), "application/pdf"
    raise ValueError(f"Unknown format '{fmt}': use json, html or pdf.")
