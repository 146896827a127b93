from django import forms
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from . import audit, jobs
from .access import Role, can, get_scoped_or_404, requires
from .models import Job
from .pagination import paginate
from .selectors import audit_actions, audit_events


def home(request):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    from django.urls import reverse

    from soclocal.core.context_processors import NAVIGATION

    cards = [
        {"label": label, "url": reverse(name), "description": DESCRIPTIONS.get(name, "")}
        for label, name, capability in NAVIGATION
        if name != "core:home" and (capability is None or can(request.user, capability))
    ]
    from . import work

    items = work.for_user(request.user)
    # "See all" lists everything, so work due weeks ahead (a panel's review) can be found.
    shown = items if request.GET.get("work") == "all" else items[:WORK_SHOWN]
    return render(request, "core/home.html", {
        "cards": cards, "work": shown, "work_total": len(items),
        "roles": [Role.LABELS[r] for r in sorted(request.user.role_grants.values_list("role", flat=True))],
    })


# The most pressing first; a longer list stops being a list anyone reads in the morning.
WORK_SHOWN = 15

DESCRIPTIONS = {
    "cases:dashboard": gettext_lazy("Early intervention for 11 to 18 year olds: referrals, outreach, the "
                       "outcomes star, plans, closure and re-referral."),
    "intelligence:home": gettext_lazy("Share what you see or hear with the police intelligence officers; "
                         "read intelligence released to your agency."),
    "areas:explorer": gettext_lazy("Find a neighbourhood, ward, local authority or force area; see its "
                      "deprivation on a map; draw custom neighbourhoods."),
    "crime:imports": gettext_lazy("Import police.uk street crime, outcomes and stop and search files; see "
                     "past imports and rows rejected."),
    "accounts:agencies": gettext_lazy("The partnership's agencies, their teams and people."),
    "accounts:people": gettext_lazy("Create accounts, change roles, deactivate and unlock accounts."),
    "profiles:list": gettext_lazy("Local problem profiles: crime, harm, trends, hotspots and deprivation "
                     "in an area, with the partnership's findings and actions."),
    "engagement:home": gettext_lazy("Community engagement: key facts, and stories told by local people, "
                       "kept and shared only with consent."),
    "budgeting:processes": gettext_lazy("Participatory budgeting: set up a budget, moderate bids, run "
                           "votes and publish results."),
    "priorities:list": gettext_lazy("Threats ranked by a transparent, configurable method after MoRiLE, "
                       "with the evidence, the assessors' scores and the decisions taken."),
    "responses:ours": gettext_lazy("Actions in response plans that your agency owns: update their status "
                      "and say what has happened."),
    "responses:progress": gettext_lazy("How each response plan is going, by agency and by strand."),
    "safeguarding:index": gettext_lazy("Vulnerability by neighbourhood from partners' own figures: an index "
                          "with each indicator's contribution, on a map; NRM referrals."),
    "partnership:directory": gettext_lazy("The directory of partners' services for young people and "
                             "families: who each is for, where, and how to refer."),
    "dashboards:board": gettext_lazy("The board's dashboard: the partnership's headline figures, with "
                        "small counts hidden, to read on screen or as a PDF."),
    "core:audit": gettext_lazy("Who saw and changed what, when, and for what purpose."),
    "core:processing": gettext_lazy("The record of processing, retention rules and what is due, and "
                       "subject access exports."),
    "accounts:account": gettext_lazy("Your password, two-factor sign-in and API tokens."),
}


class AuditFilter(forms.Form):
    person = forms.CharField(required=False, label="Person (username)")
    record = forms.CharField(required=False, label="Record",
                             help_text="An id, a type such as accounts.user, or type:id")
    action = forms.ChoiceField(required=False, label="Action")
    date_from = forms.DateField(required=False, label="From (YYYY-MM-DD)",
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To (YYYY-MM-DD)",
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action")] + [(a, a) for a in audit_actions()]


@requires("audit.view")
def audit_log(request):
    form = AuditFilter(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = audit_events(request.user, **{k: v for k, v in filters.items() if v})
    page = paginate(request, events)
    audit.record("audit.viewed", detail={k: str(v) for k, v in filters.items() if v})
    return render(request, "core/audit.html", {"form": form, "page": page})


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def forbidden(request, exception=None):
    return render(request, "core/error.html", {
        "title": _("You do not have access to this page"),
        "body": _("Your roles do not include this. If you need it for your work, ask your "
                  "partnership admin. This refusal has been recorded."),
    }, status=403)


def not_found(request, exception=None):
    return render(request, "core/error.html", {
        "title": _("Page not found"),
        "body": _("If you typed the web address, check it is correct. If you followed a link, "
                  "the record may not exist or may not be shared with your agency."),
    }, status=404)


def server_error(request):
    """The page for an error nobody expected: no details (the log keeps the trace). When the
    database cannot be reached, a 503 that says so; it is drawn without the database (no
    menu, no names), since every write runs in a transaction that was not committed."""
    import sys

    from django.db import InterfaceError, OperationalError
    from django.template import loader

    failure = sys.exc_info()[1]
    if isinstance(failure, OverflowError):  # an id in the address too large to be a record
        return not_found(request)
    if isinstance(failure, (OperationalError, InterfaceError)):
        return HttpResponse(loader.render_to_string("503.html"), status=503,
                            headers={"Retry-After": "60"})
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the page's own context failed too: draw it without the request
        return HttpResponse(loader.render_to_string("500.html"), status=500)


@requires("jobs.view")
def job_detail(request, pk):
    job = get_scoped_or_404(request.user, "jobs.view", Job.objects.all(), pk=pk)
    return render(request, "core/job.html", {"job": job, "can_retry": jobs.can_retry(job)})


@requires("jobs.view")
@require_POST
def job_retry(request, pk):
    """Start again a job whose worker stopped (the owner's own job only)."""
    job = get_scoped_or_404(request.user, "jobs.view", Job.objects.all(), pk=pk)
    if not jobs.can_retry(job):
        return redirect("core:job", pk=job.pk)
    again = jobs.retry(request.user, job)
    return redirect("core:job", pk=again.pk)


@requires("jobs.view")
def job_status(request, pk):
    job = get_scoped_or_404(request.user, "jobs.view", Job.objects.all(), pk=pk)
    return JsonResponse({
        "status": job.status, "status_label": job.get_status_display(), "percent": job.percent,
        "done": job.done, "total": job.total, "message": job.message,
        "finished": job.finished, "result_url": job.result_url, "errors": job.errors[:100],
        "error_count": len(job.errors),
    })


class DigestForm(forms.Form):
    daily_digest = forms.BooleanField(
        required=False, label="Send me one email a day listing what is new, instead of an "
        "email each time")


@requires("notifications.view")
def notifications(request):
    from django.contrib import messages
    from django.shortcuts import redirect

    from . import notifications as notes

    form = DigestForm(request.POST or None,
                      initial={"daily_digest": notes.wants_digest(request.user)})
    if request.method == "POST" and form.is_valid():
        notes.set_digest(request.user, form.cleaned_data["daily_digest"])
        messages.success(request, _("Email choice saved."))
        return redirect("core:notifications")
    page = paginate(request, notes.for_user(request.user))
    return render(request, "core/notifications.html", {
        "page": page, "form": form, "unread": notes.unread_count(request.user)})


@requires("notifications.view")
def notifications_read(request):
    """Mark one notification read (and go to it), or all of them."""
    from django.shortcuts import redirect
    from django.utils.http import url_has_allowed_host_and_scheme

    from . import notifications as notes

    if request.method != "POST":
        return HttpResponse(status=405)
    pk = request.POST.get("notification")
    if pk and pk.isdigit():
        n = get_scoped_or_404(request.user, "notifications.view", notes.for_user(request.user),
                              pk=int(pk))
        notes.mark_read(request.user, n.pk)
        if n.url and url_has_allowed_host_and_scheme(n.url, allowed_hosts={request.get_host()}):
            return redirect(n.url)
    else:
        notes.mark_read(request.user)
    return redirect("core:notifications")


# Data protection ------------------------------------------------------------------------------

@requires("dataprotection.manage")
def retention_rules(request):
    from . import retention

    rows = retention.summary()
    audit.record("retention.viewed")
    return render(request, "core/retention.html",
                  {"rows": rows, "total_due": sum(r["due"] for r in rows)})


@requires("dataprotection.manage")
def processing(request):
    from . import retention

    return render(request, "core/processing.html", {"entries": retention.processing_record()})


@requires("dataprotection.manage")
def processing_pdf(request):
    from django.template.loader import render_to_string
    from django.utils import timezone
    from weasyprint import HTML

    from soclocal.accounts.models import Partnership

    from . import retention

    html = render_to_string("core/processing_pdf.html", {
        "entries": retention.processing_record(), "now": timezone.now(),
        "partnership": getattr(Partnership.objects.first(), "name", "")})
    audit.record("processing_record.exported", detail={"format": "pdf"})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="record-of-processing.pdf"'
    return response


class SubjectAccessForm(forms.Form):
    person = forms.CharField(label="Whose records", max_length=254)
    purpose = forms.CharField(label="Request reference or purpose", max_length=200,
                              help_text="For example the date and reference of the request")


@requires("dataprotection.manage")
def subject_access(request):
    from django.core.exceptions import ValidationError

    from . import subject_access as sar

    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            content = sar.export(request.user, form.cleaned_data["person"],
                                 purpose=form.cleaned_data["purpose"])
        except ValidationError as e:
            form.add_error("person", e.messages[0])
        else:
            response = HttpResponse(content, content_type="application/zip")
            response["Content-Disposition"] = 'attachment; filename="subject-access.zip"'
            return response
    return render(request, "core/subject_access.html", {"form": form})
