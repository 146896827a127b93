"""Public participatory budgeting pages: no sign-in, and nothing personal on any of them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from soclocal.core.forms import add_service_errors

from . import selectors, services
from .forms import BidForm, CodeCheckForm, ContactForm, VoteForm
from .models import Bid, ContactCheck, Process

SESSION_KEY = "budgeting_contact_check"
DEMO_CODE_KEY = "budgeting_demo_code"


def _process_or_404(slug) -> Process:
    process = selectors.public_process(slug)
    if process is None:
        raise Http404("No such process")
    return process


def process(request, slug):
    process = _process_or_404(slug)
    result = selectors.published_result(process)
    return render(request, "budgeting/public/process.html", {
        "process": process, "bids": selectors.public_bids(process),
        "has_result": result is not None, "ballots_cast": selectors.ballots_cast(process)})


def bid_start(request, slug):
    process = _process_or_404(slug)
    if process.status != Process.Status.BIDDING:
        return render(request, "budgeting/public/closed.html", {"process": process,
                                                                "what": "bids"})
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.send_code(form.cleaned_data["channel"], form.address())
        except ValidationError as e:
            form.add_error("mobile" if form.cleaned_data["channel"] == "sms" else "email",
                           e.messages[0])
        else:
            request.session[SESSION_KEY] = check.pk
            if not settings.PRODUCTION:
                # A demo visitor has no inbox or phone behind the address they typed.
                request.session[DEMO_CODE_KEY] = check.sent_code
            return redirect("community:bid_verify", process.slug)
    return render(request, "budgeting/public/bid_email.html", {"process": process, "form": form})


def bid_verify(request, slug):
    process = _process_or_404(slug)
    check_id = request.session.get(SESSION_KEY)
    if not check_id:
        return redirect("community:bid_start", process.slug)
    check = ContactCheck.objects.filter(pk=check_id).first()
    if check is None:
        return redirect("community:bid_start", process.slug)
    form = CodeCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_code(check_id, form.cleaned_data["code"])
        except ValidationError as e:
            form.add_error("code", e.messages[0])
        else:
            return redirect("community:bid_new", process.slug)
    return render(request, "budgeting/public/bid_verify.html", {
        "process": process, "form": form, "by_text": check.channel == ContactCheck.Channel.SMS,
        "demo_code": None if settings.PRODUCTION else request.session.get(DEMO_CODE_KEY)})


def bid_new(request, slug):
    process = _process_or_404(slug)
    check = ContactCheck.objects.filter(pk=request.session.get(SESSION_KEY),
                                      verified_at__isnull=False).first()
    if check is None:
        return redirect("community:bid_start", process.slug)
    form = BidForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bid = services.submit_bid(None, process, contact_check=check, title=data["title"],
                                      summary=data["summary"], group_name=data["group_name"],
                                      group_kind=data["group_kind"], place=data["place"],
                                      theme=data.get("theme", ""), cost=data["cost"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            request.session.pop(SESSION_KEY, None)
            request.session.pop(DEMO_CODE_KEY, None)
            return render(request, "budgeting/public/bid_done.html",
                          {"process": process, "reference": bid.reference,
                           "by_text": check.channel == ContactCheck.Channel.SMS})
    return render(request, "budgeting/public/bid_form.html", {"process": process, "form": form})


def vote(request, slug):
    process = _process_or_404(slug)
    if process.status != Process.Status.VOTING:
        return render(request, "budgeting/public/closed.html", {"process": process,
                                                                "what": "votes"})
    bids = process.bids.filter(status=Bid.Status.ACCEPTED).order_by("pk")
    form = VoteForm(request.POST or None, process=process, bids=bids)
    if request.method == "POST" and form.is_valid():
        try:
            services.cast_ballot(process, form.cleaned_data["code"], form.choices())
        except services.VoteRefused as refusal:
            form.add_error(refusal.field, str(refusal))
        except ValidationError as e:
            form.add_error(None, e.messages[0])
        else:
            return redirect("community:vote_done", process.slug)
    return render(request, "budgeting/public/vote.html", {
        "process": process, "form": form,
        "status": 400 if form.errors else 200}, status=400 if form.errors else 200)


def vote_done(request, slug):
    process = _process_or_404(slug)
    return render(request, "budgeting/public/vote_done.html",
                  {"process": process, "ballots_cast": selectors.ballots_cast(process)})


def results(request, slug):
    process = _process_or_404(slug)
    result = selectors.published_result(process)
    table = selectors.result_table(result) if result else None
    return render(request, "budgeting/public/results.html",
                  {"process": process, "result": result, "table": table})


def update_photo(request, slug, pk):
    """A photo of a funded project, shown once the results are published."""
    from django.http import FileResponse

    from .models import ProjectUpdate

    process = _process_or_404(slug)
    update = ProjectUpdate.objects.filter(pk=pk, bid__process=process).first()
    result = selectors.published_result(process)
    if update is None or not update.photo or result is None:
        # No photo to show (or not yet public): the results page says what there is.
        return redirect("community:results", process.slug)
    return FileResponse(update.photo.open("rb"))
