"""Staff pages for community engagement: the overview and the stories."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from soclocal.areas.models import Area
from soclocal.core import audit, spreadsheet
from soclocal.core.access import can, get_scoped_or_404, requires
from soclocal.core.flash import call_and_redirect
from soclocal.core.forms import add_service_errors

from . import selectors, services
from .anonymise import flags
from .forms import ReviewForm, StoryForm, WithdrawForm
from .models import Story


@requires("engagement.view")
def home(request):
    from .forms import FactsFilterForm

    form = FactsFilterForm(request.GET or None, areas=selectors.fact_areas())
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v is not None}
    facts = selectors.key_facts(**filters) if not form.errors else None
    return render(request, "engagement/home.html", {
        "facts": facts, "form": form, "period": _period_words(filters),
        "stories": selectors.shareable_stories().count(),
        "can_review": can(request.user, "stories.review"),
        "can_groups": can(request.user, "groups.manage"),
    })


def _period_words(filters) -> str:
    """The period and area a table covers, in words for its caption."""
    parts = []
    if filters.get("area"):
        parts.append(filters["area"].name)
    if filters.get("year"):
        parts.append(str(filters["year"]))
    start, end = filters.get("date_from"), filters.get("date_to")
    if start and end:
        parts.append(f"{start:%-d %B %Y} to {end:%-d %B %Y}")
    elif start:
        parts.append(f"from {start:%-d %B %Y}")
    elif end:
        parts.append(f"up to {end:%-d %B %Y}")
    return ", ".join(parts)


def _story(request, pk) -> Story:
    return get_scoped_or_404(request.user, "stories.review", Story.objects.all(), pk=pk)


@requires("stories.review")
def stories(request):
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "engagement/story_list.html",
                  {"stories": selectors.stories_for(request.user, query), "query": query})


@requires("stories.review")
def story_new(request):
    form = StoryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.gather_story(request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The story is kept. Review it before anything is shared."))
            return redirect("engagement:story", story.pk)
    return render(request, "engagement/story_form.html", {"form": form})


@requires("stories.review")
def story_detail(request, pk):
    story = _story(request, pk)
    # A story as told may identify its teller: every reading is on the record.
    audit.record("stories.viewed", obj=story, purpose="anonymisation review")
    places = Area.objects.exclude(type__startswith="lsoa").values_list("name", flat=True)
    source = story.anonymised_text or story.text
    form = ReviewForm(request.POST or None, initial={"anonymised_text": source})
    if request.method == "POST" and form.is_valid():
        try:
            services.review_story(request.user, story, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Review saved."))
            return redirect("engagement:story", story.pk)
    return render(request, "engagement/story_detail.html", {
        "story": story, "form": form, "withdraw_form": WithdrawForm(),
        "flags": flags(source, places[:5000])})


@requires("stories.review")
@require_POST
def story_publish(request, pk):
    story = _story(request, pk)
    return call_and_redirect(request, services.publish_story, story,
                             success="The story is published in the public library.",
                             to=reverse("engagement:story", args=[story.pk]))


@requires("stories.review")
@require_POST
def story_withdraw(request, pk):
    story = _story(request, pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return call_and_redirect(request, services.withdraw_consent, story, reason=reason,
                             success="Consent withdrawn: the story is erased and is on no "
                                     "page or export.", to="engagement:stories")


@requires("engagement.view")
def stories_export(request):
    rows = selectors.export_rows()
    audit.record("stories.exported", detail={"stories": len(rows)})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="stories.csv"'
    writer = spreadsheet.writer(response)
    writer.writerow(["title", "story", "tags", "published"])
    for r in rows:
        writer.writerow([r["title"], r["story"], "; ".join(r["tags"]),
                         "yes" if r["published"] else "no"])
    return response


# Events, harvest and coding ------------------------------------------------------------------

def _event(request, pk):
    from .models import Event

    return get_scoped_or_404(request.user, "engagement.view", Event.objects.all(), pk=pk)


@requires("engagement.view")
def events(request):
    return render(request, "engagement/event_list.html", {
        "events": selectors.events_for(request.user),
        "can_manage": can(request.user, "engagement.manage")})


@requires("engagement.manage")
def event_new(request):
    from .forms import EventForm

    from_action = _from_action(request)
    initial = {}
    if from_action is not None:
        threat = from_action.plan.threat
        initial = {"title": f"{from_action.title}"[:200],
                   "area": threat.area_id if threat.area_id else None}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            event = services.create_event(request.user, raised_from=from_action, **data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            return redirect("engagement:event", event.pk)
    return render(request, "engagement/event_form.html", {"form": form,
                                                          "from_action": from_action})


def _from_action(request):
    """The plan action (a Develop action) an event or group is started from, if the person
    reaches it."""
    pk = request.GET.get("from_action", "")
    if not pk.isdigit():
        return None
    from soclocal.responses import selectors as responses

    return responses.get_action(request.user, int(pk))


@requires("engagement.view")
def event_detail(request, pk):
    from .forms import HarvestForm, ThemeOutputForm
    from .frames import ensure_built_in_frames
    from .models import CodingFrame
    from .suggest import suggest

    event = _event(request, pk)
    ensure_built_in_frames()
    frame = event.frame or CodingFrame.objects.filter(name="Co-inquiry themes").first()
    form = HarvestForm(request.POST or None, event=event)
    manage = can(request.user, "engagement.manage")
    if request.method == "POST" and manage and form.is_valid():
        try:
            made = services.harvest(request.user, event, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, ngettext("%(count)d insight added.",
                                               "%(count)d insights added.", len(made))
                             % {"count": len(made)})
            return redirect("engagement:event", event.pk)
    texts = selectors.code_texts(frame) if frame else {}
    insights = []
    for insight in event.insights.prefetch_related("codes"):
        given = set(insight.codes.all())
        insights.append({"insight": insight, "codes": given, "suggested": [
            c for c, _score in suggest(insight.text, texts) if c not in given]})
    themes = frame.codes.all() if frame else []
    return render(request, "engagement/event_detail.html", {
        "event": event, "form": form, "frame": frame, "insights": insights,
        "codes": themes, "can_manage": manage, "report": selectors.event_report(event),
        "kind": selectors.kind_of_event_area(event),
        "theme_form": ThemeOutputForm(themes=themes),
        "outputs": event.theme_outputs.select_related("theme")})


@requires("engagement.manage")
@require_POST
def insight_code(request, pk, insight):
    from .models import Code

    event = _event(request, pk)
    found = event.insights.filter(pk=insight).first()
    code_id = request.POST.get("code", "")
    code = Code.objects.filter(pk=code_id).first() if code_id.isdecimal() else None
    back = f"{reverse('engagement:event', args=[event.pk])}#insight-{insight}"
    if found is None or code is None:
        messages.error(request, _("That insight or code does not exist."))
        return redirect(back)
    on = request.POST.get("on") != "0"
    return call_and_redirect(request, services.code_insight, found, code, on=on,
                             success=f"{'Coded' if on else 'Code taken off'}: {code.label}.",
                             to=back)


@requires("engagement.manage")
@require_POST
def theme_output(request, pk):
    from .forms import ThemeOutputForm
    from .models import Code

    event = _event(request, pk)
    form = ThemeOutputForm(request.POST, themes=Code.objects.all())
    if not form.is_valid():
        messages.error(request, _("Choose a theme and how strongly it resonated."))
        return redirect("engagement:event", event.pk)
    data = form.cleaned_data
    return call_and_redirect(request, services.save_theme_output, event,
                             Code.objects.get(pk=data["theme"]),
                             resonance=int(data["resonance"]), more_of=data["more_of"],
                             less_of=data["less_of"], do_differently=data["do_differently"],
                             success="Theme output saved.",
                             to=reverse("engagement:event", args=[event.pk]))


@requires("engagement.view")
def event_seating(request, pk):
    from .seating import plan, repeat_meetings

    event = _event(request, pk)
    people = event.participants or event.tables * 5
    # Seats, not people: hosts are seats 1 to n (one a table), travellers the rest.
    seats = [f"{n}" for n in range(1, people + 1)]
    hosts = seats[:event.tables] if people > event.tables else []
    seating = plan(seats, event.tables, event.rounds, hosts=hosts, seed=event.pk)
    return render(request, "engagement/event_seating.html", {
        "event": event, "seating": seating, "repeats": repeat_meetings(seating),
        "hosts": bool(hosts)})


def _report_filters(request):
    """The coding frame and filters a report asks for: (form, frame, filters), where frame is
    None when the filters have errors to correct."""
    from .forms import ReportFilterForm

    all_frames = list(selectors.frames())
    form = ReportFilterForm(request.GET or None, frames=all_frames,
                            areas=selectors.report_areas(request.user))
    if form.is_bound and not form.is_valid():
        return form, None, {}
    data = form.cleaned_data if form.is_bound else {}
    chosen = {str(f.pk): f for f in all_frames}
    frame = chosen.get(data.get("frame") or "") or selectors.frame_in_use(all_frames)
    if frame and not data.get("frame"):
        form.fields["frame"].initial = frame.pk
    filters = {k: data[k] for k in ("area", "date_from", "date_to") if data.get(k)}
    return form, frame, filters


def _report_query(frame, filters, **extra):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update({"frame": frame.pk, **{k: (v.pk if k == "area" else v.isoformat())
                                         for k, v in filters.items()}, **extra})
    return query.urlencode()


@requires("engagement.view")
def report(request):
    form, frame, filters = _report_filters(request)
    found = selectors.report_across_events(request.user, frame, **filters) if frame else None
    return render(request, "engagement/report.html", {
        "form": form, "frame": frame, "report": found, "period": _period_words(filters),
        "query": _report_query(frame, filters) if frame else ""})


@requires("engagement.view")
def report_quotes(request):
    """What was said behind one cell of the report by kind of area."""
    from .kinds import DESCRIPTIONS, KINDS

    form, frame, filters = _report_filters(request)
    code = frame.codes.filter(pk=request.GET.get("code") or 0).first() \
        if frame and request.GET.get("code", "").isdecimal() else None
    kind = request.GET.get("kind", "")
    problem = None
    if frame is None:
        problem = "Correct the filters on the report, then choose a figure."
    elif code is None:
        problem = "Choose a figure in the report: this link does not name a theme of the frame."
    elif kind not in KINDS:
        problem = "Choose a figure in the report: this link does not name a kind of area."
    insights = [] if problem else selectors.report_quotes(request.user, frame, code, kind,
                                                          **filters)
    return render(request, "engagement/report_quotes.html", {
        "form": form, "frame": frame, "code": code, "kind": KINDS.get(kind),
        "kind_description": DESCRIPTIONS.get(kind), "insights": insights, "problem": problem,
        "period": _period_words(filters),
        "back": f"{reverse('engagement:report')}?{_report_query(frame, filters)}"
                if frame else reverse("engagement:report")}, status=400 if problem else 200)


@requires("engagement.view")
def report_csv(request):
    """The report by kind of area as it may be shared: small counts hidden."""
    form, frame, filters = _report_filters(request)
    if frame is None:
        messages.error(request, _("Correct the filters, then download the report."))
        return redirect(f"{reverse('engagement:report')}?{request.GET.urlencode()}")
    table = selectors.shared_report_rows(
        selectors.report_across_events(request.user, frame, **filters))
    audit.record("engagement.report_exported", detail={
        "frame": frame.pk, **{k: str(v.pk if k == "area" else v) for k, v in filters.items()}})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="what-people-said-by-kind-of-area.csv"'
    writer = spreadsheet.writer(response)
    writer.writerow([f"{frame.name}: insights by theme and kind of area"
                     + (f", {_period_words(filters)}" if filters else "")])
    if table["rows"]:
        writer.writerow(table["header"])
        writer.writerows(table["rows"])
        writer.writerow(["[c]: a count from 1 to 4, or one that would reveal such a count, is "
                         "not shown"])
    else:
        writer.writerow(["Nothing has been coded with this frame in this period and area."])
    return response


@requires("engagement.manage")
def frame_new(request):
    from .forms import FrameForm

    form = FrameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            frame = services.create_frame(request.user, name=form.cleaned_data["name"],
                                          labels=form.cleaned_data["labels"].splitlines())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Coding frame %(name)s created.") % {"name": frame.name})
            return redirect(f"{reverse('engagement:report')}?frame={frame.pk}")
    return render(request, "engagement/frame_form.html", {"form": form})


# Community groups ----------------------------------------------------------------------------

GROUP_FORMS = {"member": "MemberForm", "meeting": "MeetingForm", "priority": "PriorityForm",
               "action": "ActionForm"}


def _group(request, pk):
    from .models import CommunityGroup

    return get_scoped_or_404(request.user, "groups.manage", CommunityGroup.objects.all(), pk=pk)


@requires("groups.manage")
def groups(request):
    from .forms import GroupForm

    from_action = _from_action(request)
    area = from_action.plan.threat.area if from_action is not None else None
    form = GroupForm(request.POST or None,
                     initial={"name": from_action.title[:200]} if from_action else None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(request.user, area=area, raised_from=from_action,
                                          **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            return redirect("engagement:group", group.pk)
    return render(request, "engagement/group_list.html",
                  {"groups": selectors.groups_for(request.user), "form": form,
                   "from_action": from_action})


def _group_forms(group, data=None, what=None):
    from . import forms as f

    out = {}
    for key, cls in GROUP_FORMS.items():
        bound = data if key == what else None
        kwargs = {"group": group} if key == "action" else {}
        out[key] = getattr(f, cls)(bound, prefix=key, **kwargs)
    out["ranking"] = f.RankingForm(data if what == "ranking" else None, group=group,
                                   prefix="ranking")
    return out


@requires("groups.manage")
def group_detail(request, pk):
    group = _group(request, pk)
    what = request.POST.get("what") if request.method == "POST" else None
    forms_ = _group_forms(group, request.POST, what)
    if what in GROUP_FORMS and forms_[what].is_valid():
        data = dict(forms_[what].cleaned_data)
        if what == "action":
            data["priority"] = group.priorities.filter(pk=data["priority"] or 0).first()
        try:
            services.add_to_group(request.user, group, what, **data)
        except ValidationError as e:
            add_service_errors(forms_[what], e)
        else:
            messages.success(request, {"member": _("Member added."),
                                       "meeting": _("Meeting added."),
                                       "priority": _("Priority added."),
                                       "action": _("Action added.")}[what])
            return redirect("engagement:group", group.pk)
    if what == "ranking" and forms_["ranking"].is_valid():
        try:
            services.cast_priority_ballot(request.user, group, forms_["ranking"].ranking())
        except ValidationError as e:
            add_service_errors(forms_["ranking"], e)
        else:
            messages.success(request, _("Ranking counted. Enter the next member's."))
            return redirect("engagement:group", group.pk)
    return render(request, "engagement/group_detail.html", {
        "group": group, "forms": forms_, "order": selectors.priority_ranking(group),
        "ballots": group.ballots.count(), "actions": group.actions.select_related("priority"),
        "bids": selectors.group_bids(group),
        "waiting": group.join_requests.filter(answer="", forgotten_at__isnull=True).count()})


@requires("stories.review")
def story_audio(request, pk):
    """A story's recording, only to reviewers and on the record; never a public file."""
    from django.http import FileResponse

    story = _story(request, pk)
    if not story.audio:
        messages.error(request, _("This story has no recording."))
        return redirect("engagement:story", story.pk)
    audit.record("stories.audio_played", obj=story, purpose="anonymisation review")
    return FileResponse(story.audio.open("rb"), as_attachment=False,
                        filename=f"story-{story.pk}{Path(story.audio.name).suffix}")


JOIN_PURPOSE = "Answering requests to join the group"


@requires("groups.manage")
def join_requests(request, pk):
    """The residents asking to join, with how to reach them: only for the group's
    facilitators, and each viewing is on the record."""
    from .forms import JoinAnswerForm

    group = _group(request, pk)
    rows = list(selectors.join_requests_for(request.user, group))
    audit.record("groups.join_requests_viewed", obj=group, purpose=JOIN_PURPOSE,
                 detail={"requests": [r.pk for r in rows if not r.forgotten_at]})
    return render(request, "engagement/join_requests.html", {
        "group": group, "rows": rows, "form": JoinAnswerForm(),
        "days": services.JOIN_CONTACT_DAYS})


@requires("groups.manage")
@require_POST
def join_request_answer(request, pk, request_pk):
    from .forms import JoinAnswerForm

    group = _group(request, pk)
    found = get_scoped_or_404(request.user, "groups.manage",
                              selectors.join_requests_for(request.user, group), pk=request_pk)
    form = JoinAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what happened with the request."))
    else:
        try:
            services.answer_join_request(request.user, found, answer=form.cleaned_data["answer"],
                                         note=form.cleaned_data["note"])
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(request, _("Answer recorded."))
    return redirect("engagement:join_requests", group.pk)
