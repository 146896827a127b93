"""Public community pages: open budgets and the published stories library."""

from django.http import Http404
from django.shortcuts import render

from soclocal.budgeting.selectors import public_processes

from . import selectors


def home(request):
    return render(request, "engagement/public/home.html", {
        "processes": public_processes(), "story_count": selectors.published_stories().count()})


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
