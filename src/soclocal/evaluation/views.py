"""Outcome evaluation pages: the runs, linking and reviewing, the report and its files, and
the person-level table."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soclocal.core import audit
from soclocal.core.access import can, requires
from soclocal.core.flash import call_and_redirect
from soclocal.core.forms import submitted

from . import report, selectors, services
from .forms import ReviewForm, RunForm

FORMATS = ("html", "pdf", "json")


def _two_factor_first(request):
    """The review pages show names and dates of birth: where two-factor sign-in is required,
    an analyst who has not verified a code is sent to do so first."""
    from django.conf import settings
    from django.shortcuts import redirect

    user = request.user
    if not settings.SOCLOCAL_REQUIRE_2FA or user.is_verified():
        return None
    has_device = user.totpdevice_set.filter(confirmed=True).exists()
    return redirect("accounts:two_factor_verify" if has_device else "accounts:two_factor_setup")


@requires("evaluation.view")
def index(request):
    analyst = can(request.user, "evaluation.analyse")
    extract = services.latest_extract() if analyst else None
    return render(request, "evaluation/index.html", {
        "runs": selectors.runs(request.user)[:100], "analyst": analyst, "extract": extract,
        "counts": selectors.link_counts(extract) if extract else None,
        "form": RunForm() if analyst else None,
    })


@requires("evaluation.analyse")
@require_POST
def link(request):
    return call_and_redirect(
        request, services.link_cohort, to="evaluation:index",
        success=lambda c: _("Linked %(linked)s of %(cohort)s young people; %(uncertain)s pairs "
                            "wait for review.") % c)


@requires("evaluation.analyse")
def run(request):
    form = RunForm(request.POST or None)
    done = submitted(request, form, lambda: services.run_evaluation(
        request.user, comparison=form.cleaned_data["comparison"],
        window_months=form.cleaned_data["window_months"]),
        success=_("Evaluation saved as a new version."))
    if done:
        return done
    return render(request, "evaluation/run.html", {"form": form})


@requires("evaluation.analyse")
def review(request):
    if (first := _two_factor_first(request)) is not None:
        return first
    extract = services.latest_extract()
    pairs = list(selectors.review_queue(request.user, extract)[:200]) if extract else []
    for pair in pairs:
        audit.record("evaluation.link_viewed", obj=pair, purpose="clerical review of linkage")
    return render(request, "evaluation/review.html", {"pairs": pairs, "extract": extract})


@requires("evaluation.analyse")
def review_pair(request, pk):
    if (first := _two_factor_first(request)) is not None:
        return first
    pair = selectors.get_link(request.user, pk)
    form = ReviewForm(request.POST or None)
    done = submitted(request, form, lambda: services.review_link(
        request.user, pair, form.cleaned_data["decision"]),
        success=_("Decision saved."), to="evaluation:review")
    if done:
        return done
    audit.record("evaluation.link_viewed", obj=pair, purpose="clerical review of linkage")
    return render(request, "evaluation/review_pair.html", {"pair": pair, "form": form})


def _sharing(request):
    """Evaluating analysts see the full version unless they ask for the sharing one;
    everyone else only ever sees the sharing version."""
    if not selectors.sees_full_version(request.user):
        return True
    return request.GET.get("version") == "sharing"


@requires("evaluation.view")
def report_page(request, pk):
    run_ = selectors.get_run(request.user, pk)
    sharing = _sharing(request)
    doc = selectors.document(run_, sharing=sharing)
    audit.record("evaluation.viewed", obj=run_, detail={"sharing": sharing})
    return render(request, "evaluation/report.html", {
        "run": run_, "doc": report.displayed(doc), "sharing": sharing, "formats": FORMATS,
        "full": selectors.sees_full_version(request.user), **report.template_context(doc)})


@requires("evaluation.view")
def download(request, pk, fmt):
    run_ = selectors.get_run(request.user, pk)
    if fmt not in FORMATS:
        raise Http404
    sharing = _sharing(request)
    doc = selectors.document(run_, sharing=sharing)
    content, content_type = report.render(doc, fmt, title=run_.title)
    audit.record("evaluation.downloaded", obj=run_, detail={"format": fmt, "sharing": sharing})
    response = HttpResponse(content, content_type=content_type)
    name = f"evaluation-v{run_.version}{'-sharing' if sharing else ''}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires("evaluation.analyse")
def people(request, pk):
    run_ = selectors.get_run(request.user, pk)
    try:
        months = int(request.GET.get("months") or run_.window_months)
    except ValueError:
        months = run_.window_months
    months, rows = selectors.person_rows(run_, months)
    audit.record("evaluation.people_viewed", obj=run_, detail={"months": months,
                                                               "rows": len(rows)})
    return render(request, "evaluation/people.html", {
        "run": run_, "months": months, "rows": rows[:2000], "total": len(rows),
        "windows": sorted(int(m) for m in run_.people)})


