"""The evaluation's headline on the board's dashboard: the latest saved run, sharing version."""

from django.urls import reverse
from django.utils.translation import gettext as _

from soclocal.core.access import can
from soclocal.dashboards.headlines import Headline


def _interval(estimate) -> str:
    if not isinstance(estimate, dict):  # hidden in the sharing version, or not estimated
        return str(estimate or _("not estimated"))
    if estimate.get("estimate") is None:
        return _("not estimated")
    return _("%(estimate)s (95%% interval %(low)s to %(high)s)") % {
        "estimate": f"{estimate['estimate']:.2f}", "low": f"{estimate['ci_low']:.2f}",
        "high": f"{estimate['ci_high']:.2f}"}


def latest(user) -> Headline | None:
    if not can(user, "evaluation.view"):
        return None
    # Imported here: this module is registered at every start, the report's linkage only
    # when a board member opens the dashboard.
    from . import report, selectors

    run = selectors.runs(user).order_by("-built_at", "-pk").first()
    if run is None:
        return None
    doc = selectors.document(selectors.get_run(user, run.pk), sharing=True)
    link = doc["linkage"]
    figures = [(_("Young people in the evaluation"), link["cohort"]),
               (_("Found in police data"), link["found"])]
    for e in doc.get("estimates", []):
        if e["measure"] in ("arrests", "missing_episodes"):
            figures.append((_("%(measure)s: ratio of rates, engaged against comparison")
                            % {"measure": report.measure_label(e)}, _interval(e.get("ratio"))))
    return Headline(
        title=_("What changed for the young people the service worked with"),
        dated=run.built_at.date(), figures=figures,
        text=_("From evaluation version %(version)s, %(months)s months before and after "
               "referral. A ratio below 1 means fewer among those who engaged than expected "
               "from the comparison group.") % {"version": run.version,
                                                 "months": doc["window_months"]},
        url=reverse("evaluation:report", args=[run.pk]))
