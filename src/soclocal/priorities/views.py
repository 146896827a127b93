"""Priorities pages: the ranked list, raising and assessing threats, decisions, the method."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from soclocal.core import audit, language
from soclocal.core.access import can, requires
from soclocal.core.forms import add_service_errors, submitted
from soclocal.core.pagination import paginate
from soclocal.core.spreadsheet import writer

from . import scoring, selectors, services
from .forms import AssessmentForm, DecisionForm, LinkForm, MethodForm, ThreatForm
from .models import Threat


def _sharing(request):
    return not selectors.sees_full_list(request.user) or request.GET.get("version") == "sharing"


@requires("priorities.view_shared")
def ranked_list(request):
    sharing = _sharing(request)
    kind, area = request.GET.get("kind", ""), request.GET.get("area", "").strip()
    method = selectors.current_method()
    # Ranked over every threat by their scores alone; only the page's threats are loaded.
    page = paginate(request, selectors.ranked_ids(request.user, sharing=sharing, kind=kind,
                                                  area=area))
    page.object_list = selectors.ranked_rows(request.user, list(page.object_list),
                                             sharing=sharing, first_rank=page.start_index())
    return render(request, "priorities/list.html", {
        "rows": page,
        "sharing": sharing, "full": selectors.sees_full_list(request.user),
        "kinds": Threat.Kind.choices, "kind": kind, "area": area, "query": request.GET.urlencode(),
        "method_text": scoring.describe(method), "labels": scoring.LABELS,
    })


@requires("priorities.view_shared")
def ranked_csv(request):
    sharing = _sharing(request)
    rows = selectors.ranked(request.user, sharing=sharing, kind=request.GET.get("kind", ""),
                            area=request.GET.get("area", "").strip())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="priorities{"-sharing" if sharing else ""}.csv"')
    with translation.override(language.ENGLISH):  # the same file in either language
        _write_ranked_csv(response, rows)
    audit.record("priorities.exported", detail={"sharing": sharing, "rows": len(rows)})
    return response


def _write_ranked_csv(response, rows):
    out = writer(response)
    out.writerow(["rank", "threat", "kind", "area", "score", "priority", "assessors",
                  "decision", "count", "rate_per_1000", "harm_per_1000", "trend",
                  "linked_cases", "linked_intelligence", "formula"])
    for r in rows:
        t, s = r["threat"], r["snapshot"]
        out.writerow([r["rank"], t.title, t.get_kind_display(), t.area.name if t.area else "",
                      r["value"], r["priority"], len(r["assessments"]),
                      r["decision"].get_outcome_display() if r["decision"] else "",
                      s.get("count", ""), s.get("rate", ""), s.get("harm_per_1000", ""),
                      s.get("trend", ""), r["linked"]["cases"],
                      "" if r["linked"]["intelligence"] is None else r["linked"]["intelligence"],
                      " | ".join(a["score"].formula for a in r["assessments"])])


def ranked_file_html(rows, *, sharing: bool) -> str:
    """The HTML the ranked list's PDF is made from."""
    from django.template.loader import render_to_string
    from django.utils import timezone

    return render_to_string("priorities/ranked_file.html", {
        "rows": rows, "sharing": sharing,
        "method_text": scoring.describe(selectors.current_method()), "now": timezone.now()})


@requires("priorities.view_shared")
def ranked_pdf(request):
    """The ranked list as a PDF to circulate; the sharing version for anyone who asks for it or
    may see no more (no police-only threats, free-text evidence or counts from 1 to 4)."""
    from weasyprint import HTML

    sharing = _sharing(request)
    rows = selectors.ranked(request.user, sharing=sharing, kind=request.GET.get("kind", ""),
                            area=request.GET.get("area", "").strip())
    html = ranked_file_html(rows, sharing=sharing)
    audit.record("priorities.exported", detail={"sharing": sharing, "rows": len(rows),
                                                "format": "pdf"})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="priorities{"-sharing" if sharing else ""}.pdf"')
    return response


@requires("priorities.raise")
def threat_new(request):
    profile, crime_type = None, request.POST.get("crime_type") or request.GET.get("crime_type", "")
    profile_id = request.POST.get("profile") or request.GET.get("profile")
    initial = {"kind": Threat.Kind.CRIME_PROBLEM}
    if profile_id:
        from soclocal.profiles import selectors as profiles

        if not str(profile_id).isdigit():
            raise Http404
        profile = profiles.get_profile(request.user, profile_id)
        initial.update(profile=profile.pk, crime_type=crime_type,
                       title=f"{crime_type} in {profile.area.name}", area=profile.area.code)
    form = ThreatForm(request.POST or None, initial=initial)
    snapshot = None
    if profile is not None:
        try:
            snapshot = services.profile_snapshot(profile, crime_type)
        except ValidationError as e:
            form.add_error(None, e.messages)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            threat = services.raise_threat(
                request.user, kind=d["kind"], title=d["title"], evidence_text=d["evidence_text"],
                area=d["area"], crime_type=d["crime_type"], police_only=d["police_only"],
                profile=profile)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Threat raised. Now assess it."))
            return redirect(threat)
    return render(request, "priorities/threat_form.html", {
        "form": form, "profile": profile, "snapshot": snapshot})


@requires("priorities.view")
def threat(request, pk):
    t = selectors.get_threat(request.user, pk)
    method = selectors.current_method()
    latest = selectors.latest_by_assessor(t)
    audit.record("threat.viewed", obj=t)
    history = [{"assessment": a, "score": scoring.score(a.scores, method)}
               for a in t.assessments.select_related("assessor")]
    may_link = can(request.user, "priorities.raise") and (
        can(request.user, "intel.assess") or can(request.user, "cases.view"))
    return render(request, "priorities/threat.html", {
        "threat": t, "result": selectors.threat_score(latest, method), "latest": latest,
        "linked": selectors.evidence_counts(request.user, [t])[t.pk],
        "links": selectors.links(request.user, t),
        "link_form": LinkForm() if may_link else None,
        # From a priority's gaps, an intelligence officer asks partners what is not known.
        "can_require": can(request.user, "intel.requirements"),
        "compare": selectors.compare(latest) if len(latest) > 1 else None,
        "history": history, "decisions": t.decisions.select_related("owner", "decided_by"),
        "method_text": scoring.describe(method),
        "can_assess": can(request.user, "priorities.assess"),
        "can_decide": can(request.user, "priorities.decide"),
        "can_plan": can(request.user, "responses.plan"),
    })


@requires("priorities.assess")
def assess(request, pk):
    t = selectors.get_threat(request.user, pk)
    method = selectors.current_method()
    mine = t.assessments.filter(assessor=request.user).first()
    form = AssessmentForm(request.POST or None, method=method,
                          initial={k: str(v) for k, v in mine.scores.items()} if mine else None)
    if done := submitted(request, form, lambda: services.assess(
            request.user, t, {k: form.cleaned_data[k] for k in scoring.KEYS},
            form.cleaned_data["rationale"]), success="Assessment saved.", to=t):
        return done
    return render(request, "priorities/assess.html", {"form": form, "threat": t,
                                                       "method_text": scoring.describe(method)})


@requires("priorities.decide")
def decide(request, pk):
    t = selectors.get_threat(request.user, pk)
    form = DecisionForm(request.POST or None)
    if done := submitted(request, form,
                         lambda: services.decide(request.user, t, **form.cleaned_data),
                         success="Decision recorded.", to=t):
        return done
    return render(request, "priorities/decide.html", {"form": form, "threat": t})


@requires("priorities.configure")
def method(request):
    current = selectors.current_method()
    form = MethodForm(request.POST or None, initial=MethodForm.initial_for(current))
    if done := submitted(request, form, lambda: services.save_method(request.user, form.settings()),
                         success="Method saved. The ranked list now uses it.",
                         to="priorities:method"):
        return done
    return render(request, "priorities/method.html", {
        "form": form, "method_text": scoring.describe(current),
        "defaults": scoring.DEFAULT_METHOD, "labels": scoring.LABELS,
        "history": selectors.method_history()})


@requires("priorities.raise")
def link(request, pk):
    t = selectors.get_threat(request.user, pk)
    form = LinkForm(request.POST or None)
    if done := submitted(request, form, lambda: services.link_evidence(
            request.user, t, **form.cleaned_data), success="Linked as evidence.", to=t):
        return done
    return render(request, "priorities/link.html", {"form": form, "threat": t})


@requires("priorities.raise")
def threat_from_group(request):
    """A suspected group on the intelligence network page, raised as a threat in one step."""
    if request.method != "POST":
        return HttpResponse(status=405)
    from soclocal.intelligence import selectors as intelligence

    members = list(intelligence.entities_for(request.user).filter(
        pk__in=[v for v in request.POST.getlist("member") if v.isdigit()]))
    try:
        threat = services.raise_threat_from_group(request.user,
                                                  name=request.POST.get("name", ""),
                                                  members=members)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(f"{reverse('intelligence:network')}?{request.POST.get('query', '')}")
    messages.success(request, _("Threat raised from the suspected group. Now assess it."))
    return redirect(threat)
