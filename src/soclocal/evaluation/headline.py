"""The evaluation's headline on the board's dashboard: the latest saved run, sharing version."""

from django.urls import reverse

from soclocal.core.access import can
from soclocal.dashboards.headlines import Headline


def _interval(estimate) -> str:
    if not isinstance(estimate, dict):  # hidden in the sharing version, or not estimated
        return str(estimate or "not estimated")
    if estimate.get("estimate") is None:
        return "not estimated"
    return f"{estimate['estimate']:.2f} (95% interval {estimate['ci_low']:.2f} to " \
           f"{estimate['ci_high']:.2f})"


def latest(user) -> Headline | None:
    if not can(user, "evaluation.view"):
        return None
    # Imported here: this module is registered at every start, the report's linkage only
    # when a board member opens the dashboard.
    from . import selectors

    run = selectors.runs(user).order_by("-built_at", "-pk").first()
    if run is None:
        return None
    doc = selectors.document(selectors.get_run(user, run.pk), sharing=True)
    link = doc["linkage"]
    figures = [("Young people in the evaluation", link["cohort"]),
               ("Found in police data", link["found"])]
    for e in doc.get("estimates", []):
        if e["measure"] in ("arrests", "missing_episodes"):
            figures.append((f"{e['label']}: ratio of rates, engaged against comparison",
                            _interval(e.get("ratio"))))
    return Headline(
        title="What changed for the young people the service worked with",
        dated=run.built_at.date(), figures=figures,
        text=f"From evaluation version {run.version}, {doc['window_months']} months before "
             "and after referral. A ratio below 1 means fewer among those who engaged than "
             "expected from the comparison group.",
        url=reverse("evaluation:report", args=[run.pk]))
