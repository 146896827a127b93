"""Every read of participatory budgeting. Public reads return nothing personal: no contact
details, no voter codes, no one's ballot."""

from django.db import models
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from soclocal.core.access import get_scoped_or_404, scope

from .models import Bid, Process, Result
from .reasons import reason_in_language
from .services import funded_references

PUBLIC_STATUSES = [Process.Status.BIDDING, Process.Status.VOTING, Process.Status.CLOSED,
                   Process.Status.RESULTS]


def processes_for(user):
    from soclocal.engagement.selectors import per_process

    from .models import Ballot

    # Counts as subqueries: joining bids and ballots together multiplies their rows.
    return scope(user, "budgeting.manage", Process.objects.all()).annotate(
        bid_count=Coalesce(per_process(Bid, Count("*")), 0),
        ballot_count=Coalesce(per_process(Ballot, Count("*")), 0))


def process_for(user, pk) -> Process:
    return get_scoped_or_404(user, "budgeting.manage", Process.objects.all(), pk=pk)


def public_processes():
    return Process.objects.filter(status__in=PUBLIC_STATUSES)


def public_process(slug) -> Process | None:
    return public_processes().filter(slug=slug).first()


def public_bids(process):
    """The bids on the ballot, with only what a group chose to make public."""
    return [{"reference": b.reference, "title": b.title, "summary": b.summary,
             "group_name": b.group_name, "place": b.place, "theme": b.theme, "cost": b.cost}
            for b in process.bids.filter(status=Bid.Status.ACCEPTED).order_by("pk")]


def latest_result(process) -> Result | None:
    return process.results.first()


def published_result(process) -> Result | None:
    return process.results.filter(published=True).first()


def result_table(result: Result):
    """Each bid with its support, whether it is funded and why; overrides shown with reasons."""
    bids = {b.reference: b for b in result.process.bids.filter(
        status=Bid.Status.ACCEPTED).select_related("community_group")}
    funded = funded_references(result)
    overrides = {o.bid.reference: o for o in result.overrides.select_related("bid")}
    rows = []
    for ref, bid in bids.items():
        override = overrides.get(ref)
        reason = reason_in_language(result.reasons.get(ref, ""))
        if override:
            reason = (_("Funded by the coordinator's decision: %(reason)s. The rule's outcome "
                        "was: %(outcome)s") if override.funded
                      else _("Not funded by the coordinator's decision: %(reason)s. The rule's "
                             "outcome was: %(outcome)s")) % {"reason": override.reason,
                                                             "outcome": reason}
        rows.append({"bid": bid, "support": result.support.get(ref, "0"),
                     "funded": ref in funded, "reason": reason,
                     "updates": list(bid.updates.order_by("-at")) if ref in funded else []})
    rows.sort(key=lambda r: (not r["funded"], -float(r["support"]), r["bid"].reference))
    total = sum((r["bid"].cost for r in rows if r["funded"]), 0)
    return {"rows": rows, "total": total, "overrides": list(overrides.values())}


def bids_to_moderate(process, status=""):
    bids = process.bids.select_related("community_group").order_by("status", "pk")
    return bids.filter(status=status) if status else bids


def groups_to_link(user):
    """The community groups a bid may be matched to (names only are shown)."""
    from soclocal.engagement.models import CommunityGroup

    return list(scope(user, "budgeting.manage", CommunityGroup.objects.order_by("name")))


def group_matching(groups, name: str):
    """The group whose name is the one a bidder typed, ignoring case and spacing, if any."""
    wanted = " ".join(name.split()).casefold()
    matches = [g for g in groups if " ".join(g.name.split()).casefold() == wanted]
    return matches[0] if wanted and len(matches) == 1 else None


def bids_for_group(group):
    """The bids matched to a community group, newest process first, each with its process,
    its status and, for a bid on the ballot once results are published, whether it was funded
    (None otherwise: a bid not on the ballot was never in the running)."""
    bids = list(group.bids.select_related("process").order_by("-process__created_at", "pk"))
    funded_by_process = {}
    rows = []
    for bid in bids:
        if bid.process_id not in funded_by_process:
            result = published_result(bid.process)
            funded_by_process[bid.process_id] = (set(funded_references(result))
                                                 if result else None)
        funded = funded_by_process[bid.process_id]
        rows.append({"bid": bid, "process": bid.process, "title": bid.title,
                     "cost": bid.cost, "currency": bid.process.currency,
                     "status": bid.get_status_display(),
                     "funded": (None if funded is None or bid.status != Bid.Status.ACCEPTED
                                else bid.reference in funded)})
    return rows


def ballots_cast(process) -> int:
    """How many ballots are counted so far: a number, never whose or how they voted."""
    return process.ballots.count()


DEMO_CODES_SHOWN = 5


def demo_voter_codes(process) -> list[str]:
    """In the demo only: a few unused codes so a visitor can try voting. Never in production,
    where codes are printed and handed to voters one by one."""
    from django.conf import settings

    from .models import VoterCode

    if settings.PRODUCTION or process.status != Process.Status.VOTING:
        return []
    return list(VoterCode.objects.filter(process=process, used_at__isnull=True)
                .order_by("created_at", "code").values_list("code", flat=True)[:DEMO_CODES_SHOWN])


def bids_waiting(user):
    """Per process the user runs: bids waiting for a decision."""
    return list(processes_for(user).filter(bids__status=Bid.Status.SUBMITTED)
                .annotate(waiting=Count("bids", filter=models.Q(
                    bids__status=Bid.Status.SUBMITTED), distinct=True)).order_by("name"))


def voting_closing(user, days=7, today=None):
    """Processes the user runs whose voting closes within `days` days."""
    from datetime import timedelta

    from django.utils import timezone

    today = today or timezone.localdate()
    return list(processes_for(user).filter(
        status=Process.Status.VOTING, voting_close__gte=today,
        voting_close__lte=today + timedelta(days=days)).order_by("voting_close"))
