"""Outcomes as the seed evaluation measured them: police events per young person in equal
windows before and after referral, engagers against a comparison group, and the
difference-in-differences between them (decision 0045).

Input is already pseudonymous: each member is a key, a group, a referral date, an area and
the police events linked to them (none when not found in the police data). Names and dates
of birth never reach this module.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_noop

from .files import ARREST, MISSING, OFFENCE, OFFENCE_GROUPS
from .windows import add_months, month_offset, which

ENGAGED, COMPARISON = "engaged", "comparison"
# Labels stay English in the document (its JSON); the report shows them translated.
GROUP_LABELS = {ENGAGED: gettext_noop("Engaged with the service"),
                COMPARISON: gettext_noop("Comparison group")}
DEFAULT_WINDOWS = (12, 6)
MIN_PER_GROUP = 5  # fewer than this in either group: no estimate is made

OFFENCE_GROUP_LABEL = gettext_noop("Offences: %(group)s")
MEASURES = [
    ("arrested", gettext_noop("Arrested at least once"), "people"),
    ("arrests", gettext_noop("Arrests"), "events"),
    ("offences", gettext_noop("Offences (all groups)"), "events"),
    *[(f"offences_{g.replace(' ', '_')}", OFFENCE_GROUP_LABEL % {"group": g}, "events")
      for g in OFFENCE_GROUPS],
    ("missing_episodes", gettext_noop("Missing episodes"), "events"),
]
MEASURE_LABELS = {key: label for key, label, _ in MEASURES}
# The measures estimated and charted in the main tables; the rest are in the offence table.
HEADLINE = ["arrested", "arrests", "offences", "missing_episodes"]


@dataclass
class Member:
    key: str  # pseudonymous
    group: str  # ENGAGED or COMPARISON
    referral_date: date
    area_code: str = ""
    found: bool = False
    events: list = field(default_factory=list)  # (date, kind, offence_group)


def _measure_keys(kind, group):
    if kind == ARREST:
        return ["arrests"]
    if kind == OFFENCE:
        return ["offences", f"offences_{group.replace(' ', '_')}"] if group else ["offences"]
    if kind == MISSING:
        return ["missing_episodes"]
    return []


def person_counts(member: Member, months: int) -> dict:
    """{measure: (before, after)} for one member and one window length."""
    counts = {key: [0, 0] for key, _, _ in MEASURES}
    for day, kind, group in member.events:
        side = which(day, member.referral_date, months)
        if side is None:
            continue
        for key in _measure_keys(kind, group):
            counts[key][0 if side == "before" else 1] += 1
    counts["arrested"] = [int(counts["arrests"][0] > 0), int(counts["arrests"][1] > 0)]
    return {k: tuple(v) for k, v in counts.items()}


def did(rows: list, measure: str) -> dict:
    """The difference-in-differences for one measure over person rows (group, counts):
    OLS (the difference per person in the change) and, for counts, Poisson (the ratio of
    rates), each with standard errors clustered by person and a 95% interval."""
    import numpy as np

    treated = [r for r in rows if r["group"] == ENGAGED]
    control = [r for r in rows if r["group"] == COMPARISON]
    result = {"measure": measure, "label": MEASURE_LABELS[measure],
              "n_engaged": len(treated), "n_comparison": len(control)}
    if len(treated) < MIN_PER_GROUP or len(control) < MIN_PER_GROUP:
        return {**result, "difference": None, "ratio": None,
                "note": f"Not estimated: fewer than {MIN_PER_GROUP} people in a group."}
    ys, xs, ids = [], [], []
    for i, r in enumerate(rows):
        t = 1.0 if r["group"] == ENGAGED else 0.0
        before, after = r["counts"][measure]
        for post, y in ((0.0, before), (1.0, after)):
            ys.append(float(y))
            xs.append([1.0, t, post, t * post])
            ids.append(i)
    y, x, groups = np.array(ys), np.array(xs), np.array(ids)
    critical = _critical(len(rows))
    result["difference"] = _ols(y, x, groups, critical)
    result["ratio"] = None if measure == "arrested" else _poisson(y, x, groups, critical)
    if result["difference"] is None:
        result["note"] = "Not estimated: the counts do not vary enough."
    return result


def _critical(clusters: int) -> float:
    """The 95% critical value of Student's t with one degree of freedom fewer than there are
    people (clusters): with errors clustered by person the effective sample is the people,
    not the rows, and a normal value would make intervals over a small group (an area, a
    year) too narrow. Over hundreds of people it is within 1% of 1.96."""
    from scipy.stats import t

    return float(t.ppf(0.975, max(clusters - 1, 1)))


def _interval(estimate, se, critical, transform=None):
    low, high = estimate - critical * se, estimate + critical * se
    if transform:
        estimate, low, high = transform(estimate), transform(low), transform(high)
    return {"estimate": round(float(estimate), 6), "ci_low": round(float(low), 6),
            "ci_high": round(float(high), 6), "se": round(float(se), 6)}


def _ols(y, x, groups, critical):
    import statsmodels.api as sm

    if not y.any():
        return {"estimate": 0.0, "ci_low": 0.0, "ci_high": 0.0, "se": 0.0,
                "note": "No events in either group."}
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fit = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": groups})
    se = _se(fit)
    if se is None:
        return None  # no variation to estimate from
    return _interval(fit.params[3], se, critical)


def _se(fit) -> float | None:
    """The standard error of the difference-in-differences term, or None if there is none. A
    clustered variance cannot be negative; one a rounding error below zero (no change
    anywhere, on some machines' arithmetic) is zero."""
    variance = float(fit.cov_params()[3][3])
    return math.sqrt(max(variance, 0.0)) if math.isfinite(variance) else None


def _poisson(y, x, groups, critical):
    import statsmodels.api as sm

    # The four cells' totals: a cell with no events has no finite rate ratio.
    cells = [y[(x[:, 1] == t) & (x[:, 2] == p)].sum() for t in (0, 1) for p in (0, 1)]
    if min(cells) == 0:
        return None
    try:
        fit = sm.GLM(y, x, family=sm.families.Poisson()).fit(
            cov_type="cluster", cov_kwds={"groups": groups})
    except Exception:  # noqa: BLE001 - a fit that does not converge is reported as none
        return None
    se = _se(fit)
    if se is None:
        return None
    return _interval(fit.params[3], se, critical, transform=math.exp)


def group_summary(rows: list) -> dict:
    """Each group's size, how many were found, and before and after totals and means."""
    out = {}
    for group in (ENGAGED, COMPARISON):
        members = [r for r in rows if r["group"] == group]
        n = len(members)
        figures = {}
        for key, _label, _unit in MEASURES:
            before = sum(r["counts"][key][0] for r in members)
            after = sum(r["counts"][key][1] for r in members)
            figures[key] = {"before": before, "after": after,
                            "before_mean": round(before / n, 4) if n else None,
                            "after_mean": round(after / n, 4) if n else None}
        out[group] = {"label": GROUP_LABELS[group], "people": n,
                      "found": sum(1 for r in members if r["found"]), "measures": figures}
    return out


def pre_trend(members: list, rows: list, months: int) -> dict:
    """Mean events per person by month relative to referral, for each group, and a placebo
    difference-in-differences inside the window before (its first half against its second):
    an estimate far from zero says the groups were already moving apart before referral."""
    by_key = {m.key: m for m in members}
    monthly = {g: defaultdict(lambda: defaultdict(int)) for g in (ENGAGED, COMPARISON)}
    sizes = {g: sum(1 for r in rows if r["group"] == g) for g in (ENGAGED, COMPARISON)}
    placebo_rows = []
    half = months // 2
    for r in rows:
        member = by_key[r["key"]]
        halves = {k: [0, 0] for k in HEADLINE}
        for day, kind, group in member.events:
            offset = month_offset(day, member.referral_date)
            if not -months <= offset < months:
                continue
            for key in _measure_keys(kind, group):
                if key in HEADLINE:
                    monthly[r["group"]][key][offset] += 1
                    if -months <= offset < -half:
                        halves[key][0] += 1
                    elif -half <= offset < 0:
                        halves[key][1] += 1
        halves["arrested"] = [0, 0]
        placebo_rows.append({"group": r["group"], "counts": {k: tuple(v)
                                                             for k, v in halves.items()}})
    series = {}
    for key in ("arrests", "offences", "missing_episodes"):
        series[key] = [
            {"month": offset,
             **{g: round(monthly[g][key][offset] / sizes[g], 4) if sizes[g] else None
                for g in (ENGAGED, COMPARISON)},
             **{f"{g}_events": monthly[g][key][offset] for g in (ENGAGED, COMPARISON)}}
            for offset in range(-months, months)]
    placebo = ({key: did(placebo_rows, key) for key in ("arrests", "offences", "missing_episodes")}
               if half else {})
    return {"monthly": series, "placebo": placebo, "half_months": half}


def _breakdown(rows, attribute):
    values = sorted({r[attribute] or "not known" for r in rows})
    out = []
    for value in values:
        subset = [r for r in rows if (r[attribute] or "not known") == value]
        groups = group_summary(subset)
        out.append({
            "value": value,
            "groups": {g: {"people": s["people"],
                           **{k: s["measures"][k] for k in ("arrests", "missing_episodes")}}
                       for g, s in groups.items()},
            "arrests": did(subset, "arrests"),
        })
    return out


def _estimates(rows: list) -> list:
    """Each measure's estimates over everyone in the window, and (`found_only`) over those
    found in the police data alone: the same ratio, and the difference per young person with
    a police record rather than per young person referred."""
    found = [r for r in rows if r["found"]]
    out = []
    for key, _, _ in MEASURES:
        estimate = did(rows, key)
        among_found = did(found, key)
        estimate["found_only"] = {k: among_found.get(k) for k in
                                  ("n_engaged", "n_comparison", "difference", "ratio", "note")}
        out.append(estimate)
    return out


def evaluate(members: list, *, windows=DEFAULT_WINDOWS, data_from=None, data_to=None) -> dict:
    """Every window's figures: groups, estimates, pre-period trend, and breakdowns by area
    and by year of referral. Also each window's person-level table (pseudonymous)."""
    out = []
    for months in windows:
        rows, left_out = [], 0
        for m in members:
            if not _covered(m, months, data_from, data_to):
                left_out += 1
                continue
            rows.append({"key": m.key, "group": m.group, "area_code": m.area_code,
                         "referral_period": str(m.referral_date.year), "found": m.found,
                         "counts": person_counts(m, months)})
        out.append({
            "months": months,
            "people": len(rows),
            "not_followed_up": left_out,
            "groups": group_summary(rows),
            "estimates": _estimates(rows),
            "pre_trend": pre_trend(members, rows, months),
            "by_area": _breakdown(rows, "area_code"),
            "by_period": _breakdown(rows, "referral_period"),
            "person_rows": rows,
        })
    return out


def _covered(member, months, data_from, data_to):
    """Whether the police data covers both of the member's windows."""
    from datetime import timedelta

    start = add_months(member.referral_date, -months)
    end = add_months(member.referral_date, months) - timedelta(days=1)
    if data_from and start < data_from:
        return False
    return not (data_to and end > data_to)
