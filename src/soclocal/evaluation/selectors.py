"""Reading the evaluation. Runs are partnership-wide: evaluating analysts see the full
version and the person-level tables; everyone else with `evaluation.view` sees only the
sharing version, with small counts hidden."""

from soclocal.core.access import can, get_scoped_or_404, scope

from . import report
from .models import EvaluationRun, Link, PoliceExtract


def sees_full_version(user) -> bool:
    return can(user, "evaluation.analyse")


def runs(user):
    return (scope(user, "evaluation.view", EvaluationRun.objects.all())
            .select_related("built_by", "extract").defer("figures", "people"))


def get_run(user, pk) -> EvaluationRun:
    return get_scoped_or_404(user, "evaluation.view",
                             EvaluationRun.objects.select_related("built_by", "extract"), pk=pk)


def document(run: EvaluationRun, *, sharing: bool) -> dict:
    doc = report.sharing_version(run.figures) if sharing else dict(run.figures)
    doc["run"] = {"id": run.pk, "version": run.version, "built_at": run.built_at.isoformat(),
                  "comparison": run.comparison}
    return doc


def person_rows(run: EvaluationRun, months: int | None = None) -> tuple[int, list]:
    """The person-level table of one window (pseudonymous keys): (months, rows)."""
    months = months or run.window_months
    return months, run.people.get(str(months), [])


def extracts(user):
    return scope(user, "evaluation.analyse", PoliceExtract.objects.all())


def review_queue(user, extract):
    return (scope(user, "evaluation.analyse", Link.objects.filter(extract=extract))
            .filter(status=Link.Status.UNCERTAIN)
            .select_related("young_person", "police_person"))


def get_link(user, pk) -> Link:
    return get_scoped_or_404(user, "evaluation.analyse",
                             Link.objects.select_related("young_person", "police_person"), pk=pk)


def link_counts(extract) -> dict:
    counts = {s: 0 for s in Link.Status.values}
    for status in extract.links.values_list("status", flat=True):
        counts[status] += 1
    return counts
