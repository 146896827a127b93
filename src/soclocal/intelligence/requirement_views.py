"""Intelligence requirements: officers ask partner agencies questions; their staff answer."""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from soclocal.accounts.models import Agency
from soclocal.areas.models import SMALL_AREA_TYPES, Area
from soclocal.core import audit
from soclocal.core.access import can, get_scoped_or_404, requires
from soclocal.core.flash import call_and_redirect
from soclocal.core.pagination import paginate

from . import selectors, services
from .forms import DATE, TEXT, SubmissionForm
from .views import _form_page


class RequirementForm(forms.Form):
    question = forms.CharField(label="The question", widget=TEXT,
                               help_text="What you need to know, such as 'who is living at "
                                         "flat 4, Example Court?'")
    area = forms.ModelChoiceField(label="Area", queryset=Area.objects.none(), required=False)
    priority = forms.CharField(label="The priority it serves", max_length=300, required=False)
    tasked_agency = forms.ModelChoiceField(label="Agency to ask",
                                           queryset=Agency.objects.filter(active=True))
    due_on = forms.DateField(label="Answer by", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wards, neighbourhoods and larger; a small area given (from a profile) is kept too.
        chosen = self.initial.get("area") or self.data.get("area")
        areas = Area.objects.exclude(type__in=SMALL_AREA_TYPES).defer("geometry")
        if str(chosen or "").isdigit():
            areas = areas | Area.objects.filter(pk=chosen).defer("geometry")
        self.fields["area"].queryset = areas.order_by("type", "name")


@requires("intel.tasked")
def requirements(request):
    # The two lists page on their own, each with its own page number in the address.
    tasked = selectors.requirements_tasked(request.user)
    context = {"tasked": paginate(request, selectors.open_requirements(tasked)
                                  .order_by("due_on", "pk"), param="tasked_page")}
    if can(request.user, "intel.requirements"):
        context["set"] = paginate(request, selectors.requirements_set(request.user)
                                  .exclude(status="closed").order_by("due_on", "pk"),
                                  param="set_page")
    audit.record("intelligence.requirement.listed")
    return render(request, "intelligence/requirements.html", context)


@requires("intel.requirements")
def requirement_new(request):
    initial = {k: request.GET[k] for k in ("question", "area", "priority") if request.GET.get(k)}
    threat = _from_threat(request)
    if threat is not None:
        initial = {"priority": threat.title[:300],
                   "question": f"To fill a gap in what we know about “{threat.title}”: ",
                   **({"area": threat.area_id} if threat.area_id else {}), **initial}
    form = RequirementForm(request.POST or None, initial=initial)
    return _form_page(
        request, form,
        lambda d: services.set_requirement(request.user, raised_from=threat, **d),
        success="Requirement set. The agency's staff will see it on their work queue.",
        to=lambda r: ("intelligence:requirement", r.pk),
        context={"title": "Set an intelligence requirement", "from_threat": threat})


def _from_threat(request):
    """The priority a requirement is raised from (`?from_threat=`), if the person reaches it."""
    pk = request.GET.get("from_threat", "")
    if not pk:
        return None
    from django.http import Http404

    from soclocal.priorities import selectors as priorities

    if not pk.isdigit():
        raise Http404
    return priorities.get_threat(request.user, pk)


@requires("intel.tasked")
def requirement(request, pk):
    obj = selectors.get_requirement(request.user, pk)
    audit.record("intelligence.requirement.viewed", obj=obj)
    return render(request, "intelligence/requirement.html", {
        "requirement": obj, "answers": selectors.answers_to(request.user, obj),
        "can_answer": selectors.requirements_tasked(request.user).filter(pk=obj.pk).exists()
        and obj.status != obj.Status.CLOSED,
        "can_close": selectors.requirements_set(request.user).filter(pk=obj.pk).exists()
        and obj.status != obj.Status.CLOSED,
    })


@requires("intel.tasked")
def requirement_answer(request, pk):
    obj = get_scoped_or_404(request.user, "intel.tasked",
                            selectors.requirements_tasked(request.user), pk=pk)
    form = SubmissionForm(request.POST or None, initial={
        "where": obj.area.name if obj.area else "", "when": timezone.localdate().isoformat()})
    return _form_page(
        request, form, lambda d: services.answer_requirement(request.user, obj, **d),
        template="intelligence/requirement_answer.html",
        success="Thank you. Your answer has been sent to the police intelligence officers.",
        to=lambda s: ("intelligence:submission", s.pk), context={"requirement": obj})


@requires("intel.requirements")
@require_POST
def requirement_close(request, pk):
    obj = selectors.get_requirement(request.user, pk)
    return call_and_redirect(request, services.close_requirement, obj,
                             success=f"{obj.reference} closed.",
                             to=reverse("intelligence:requirement", args=[obj.pk]))
