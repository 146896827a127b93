"""Public community pages: open budgets, groups to join, World Cafés to come, and the
published stories library."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from soclocal.budgeting.selectors import public_processes
from soclocal.core.forms import add_service_errors
from soclocal.intelligence import services as intel

from . import selectors, services
from .forms import CommunityReportForm, JoinForm


def home(request):
    return render(request, "engagement/public/home.html", {
        "processes": public_processes(), "story_count": selectors.published_stories().count(),
        "groups": selectors.public_groups(), "cafes": selectors.upcoming_cafes()})


def stories(request):
    query = request.GET.get("q", "").strip()[:100]
    tag = request.GET.get("tag", "").strip()[:50]
    return render(request, "engagement/public/stories.html", {
        "stories": selectors.published_stories(query, tag), "query": query, "tag": tag})


def story(request, pk):
    found = selectors.published_stories().filter(pk=pk).first()
    if found is None:
        raise Http404("No such story")
    return render(request, "engagement/public/story.html", {"story": found})


def _group_or_404(pk):
    group = selectors.public_groups().filter(pk=pk).first()
    if group is None:
        raise Http404("No such group")
    return group


def group_join(request, pk):
    group = _group_or_404(pk)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():
            # Told it worked, so a program learns nothing; nothing is kept.
            return redirect("community:group_join_sent", group.pk)
        data = form.cleaned_data
        try:
            services.ask_to_join(group, name=data["name"], contact=data["contact"],
                                 message=data["message"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            return redirect("community:group_join_sent", group.pk)
    return render(request, "engagement/public/group_join.html", {
        "group": group, "form": form, "days": services.JOIN_CONTACT_DAYS},
        status=400 if form.errors else 200)


def group_join_sent(request, pk):
    return render(request, "engagement/public/group_join_sent.html", {
        "group": _group_or_404(pk), "days": services.JOIN_CONTACT_DAYS})


REPORT_KEY = "community_report_reference"


def tell_us(request):
    """A resident's report to the partnership: no account, never echoed back."""
    form = CommunityReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():  # told it worked, so a program learns nothing; nothing is kept
            request.session.pop(REPORT_KEY, None)
            return redirect("community:tell_us_sent")
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("website", "started")}
        try:
            sent = intel.submit_community(client_address=request.META.get("REMOTE_ADDR"),
                                          **data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            request.session[REPORT_KEY] = sent.reference
            return redirect("community:tell_us_sent")
    return render(request, "engagement/public/tell_us.html", {
        "form": form, "days": intel.COMMUNITY_CONTACT_DAYS},
        status=400 if form.errors else 200)


def tell_us_sent(request):
    """Thanks and the reference only: nothing of what was sent is shown again."""
    return render(request, "engagement/public/tell_us_sent.html", {
        "reference": request.session.pop(REPORT_KEY, None),
        "days": intel.COMMUNITY_CONTACT_DAYS})
