"""Every read of intelligence, scoped to what the person may see."""

from django.db.models import Q
from django.utils import timezone

from soclocal.core.access import can, get_scoped_or_404, scope

from .models import (
    Entity,
    IntelligenceReport,
    Link,
    Merge,
    PairReview,
    Release,
    SanitisedVersion,
    Source,
    Submission,
)


def my_submissions(user):
    """What the person submitted (a manager also sees the team's); status only."""
    return scope(user, "intel.submit", Submission.objects.select_related("submitted_by"))


def submissions_for(user):
    """Every submission the person may open: their own (or team's), or as an assessor."""
    own = scope(user, "intel.submit", Submission.objects.all()).values("pk")
    assess = scope(user, "intel.assess", Submission.objects.all()).values("pk")
    return Submission.objects.filter(Q(pk__in=own) | Q(pk__in=assess)).select_related(
        "submitted_by", "submitter_agency", "to_agency")


def get_submission(user, pk) -> Submission:
    """A submission its maker (or their manager) or an assessor may open, else a 404."""
    found = submissions_for(user).filter(pk=pk).first()
    if found is None:  # the shared helper audits the refusal and raises the 404
        get_scoped_or_404(user, "intel.submit", Submission.objects.none(), pk=pk)
    return found


def can_assess_submission(user, submission) -> bool:
    return scope(user, "intel.assess", Submission.objects.filter(pk=submission.pk)).exists()


def submissions_to_assess(user):
    """Partners' submissions not yet assessed, urgent safeguarding first."""
    return (scope(user, "intel.assess", Submission.objects.exclude(
        status=Submission.Status.ASSESSED)).select_related("submitter_agency")
        .order_by("-urgency", "submitted_at"))


def urgent_for_manager(user):
    """Urgent safeguarding concerns submitted by the manager's team, not yet assessed."""
    return (scope(user, "intel.submit", Submission.objects.filter(
        urgency=Submission.Urgency.URGENT).exclude(status=Submission.Status.ASSESSED)
        .filter(Q(child_at_risk=True) | Q(adult_at_risk=True)))
        .exclude(submitted_by=user))


def reports_for(user):
    return scope(user, "intel.assess", IntelligenceReport.objects.select_related(
        "owning_agency", "created_by", "submission"))


def get_report(user, pk) -> IntelligenceReport:
    return get_scoped_or_404(user, "intel.assess", reports_for(user), pk=pk)


def reviews_due(user, on=None):
    on = on or timezone.localdate()
    return reports_for(user).filter(review_on__lte=on).exclude(
        outcome=IntelligenceReport.Outcome.NFA).order_by("review_on")


def handles_source(user, source) -> bool:
    return source is not None and sources_for(user).filter(pk=source.pk).exists()


def sources_for(user):
    """Source register entries the person is a named handler of; nobody else sees them."""
    return scope(user, "intel.sources", Source.objects.all()).distinct()


def get_source(user, pk) -> Source:
    return get_scoped_or_404(user, "intel.sources", sources_for(user), pk=pk)


def sanitised_awaiting_review(user):
    """Sanitised versions another officer wrote, waiting for a second officer's approval."""
    reports = reports_for(user).values("pk")
    return SanitisedVersion.objects.filter(report__in=reports, approved_at__isnull=True).exclude(
        author=user).select_related("report")


def get_sanitised(user, report, pk) -> SanitisedVersion:
    return get_scoped_or_404(user, "intel.assess", report.sanitised_versions.all(), pk=pk)


def active_releases():
    return Release.objects.filter(withdrawn_at__isnull=True)


def received_for(user):
    """Releases to the person's agency that are still in force, the newest first."""
    return scope(user, "intel.receive", active_releases().select_related(
        "sanitised", "sanitised__report", "released_by"))


def get_received(user, sanitised_pk) -> Release:
    """The release of a sanitised version to the person's agency, or a 404 (audited)."""
    return get_scoped_or_404(user, "intel.receive", received_for(user),
                             sanitised_id=sanitised_pk)


def entities_for(user):
    return scope(user, "intel.entities", Entity.objects.select_related("lsoa", "ward"))


def get_entity(user, pk) -> Entity:
    return get_scoped_or_404(user, "intel.entities", entities_for(user), pk=pk)


def search_entities(user, q="", kind="", limit=20):
    """Entities matching words in their name, reference, address, postcode or phone."""
    found = entities_for(user)
    if kind:
        found = found.filter(kind=kind)
    for word in (q or "").split():
        found = found.filter(Q(name__icontains=word) | Q(forenames__icontains=word)
                             | Q(surname__icontains=word) | Q(reference__iexact=word)
                             | Q(address__icontains=word) | Q(postcode__icontains=word)
                             | Q(phone__icontains=word))
    return found[:limit] if q or kind else found.none()


def links_for(user):
    return scope(user, "intel.entities", Link.objects.select_related(
        "from_entity", "to_entity"))


def links_of(user, entity):
    return links_for(user).filter(Q(from_entity=entity) | Q(to_entity=entity)).prefetch_related(
        "reports")


def intelligence_home(user):
    data = {"my_submissions": my_submissions(user).filter(submitted_by=user)[:20]}
    if can(user, "intel.assess"):
        data.update(to_assess=submissions_to_assess(user), reports=reports_for(user)[:50],
                    reviews_due=reviews_due(user), awaiting_review=sanitised_awaiting_review(user))
    if can(user, "intel.receive"):
        data["received"] = received_for(user)[:50]
    return data


# Same person twice ---------------------------------------------------------------------------

def active_people(people):
    """Person records not merged into another."""
    return people.filter(kind=Entity.Kind.PERSON, merged_into__isnull=True)


def latest_decisions(people) -> dict:
    """{(left reference, right reference): the latest PairReview} among `people`."""
    latest = {}
    for review in (PairReview.objects.filter(left__in=people, right__in=people)
                   .select_related("left", "right", "decided_by").order_by("decided_at", "pk")):
        latest[(review.left.reference, review.right.reference)] = review
    return latest


def suggested_pairs(people, threshold=None):
    """Pairs among `people` (a queryset of entities) that are probably one person (Splink,
    `core.matching`), most likely first: people merged into another are left out, and so
    are pairs an officer has decided are not the same. Returns (pairs, latest decisions)."""
    from soclocal.core import matching

    people = active_people(people)
    records = list(people.values("reference", "forenames", "surname", "date_of_birth",
                                 "postcode", "phone"))
    threshold = matching.DEFAULT_THRESHOLD if threshold is None else threshold
    pairs = matching.find_pairs("person", records, threshold=threshold)
    decisions = latest_decisions(people)
    rejected = {key for key, r in decisions.items()
                if r.decision == PairReview.Decision.NOT_SAME}
    return [p for p in pairs if (p.left, p.right) not in rejected], decisions


def duplicates_for(user, threshold=None):
    """The suggested pairs among the people the officer may see, with both records."""
    people = entities_for(user)
    pairs, decisions = suggested_pairs(people, threshold)
    wanted = {ref for p in pairs for ref in (p.left, p.right)}
    by_reference = {e.reference: e for e in people.filter(reference__in=wanted)}
    return [{"pair": p, "left": by_reference[p.left], "right": by_reference[p.right],
             "decision": decisions.get((p.left, p.right))} for p in pairs]


def merges_for(user):
    return scope(user, "intel.entities", Merge.objects.select_related(
        "survivor", "merged", "merged_by", "undone_by"))


def get_merge(user, pk) -> Merge:
    return get_scoped_or_404(user, "intel.entities", merges_for(user), pk=pk)


def reviews_for(user):
    return scope(user, "intel.entities", PairReview.objects.select_related(
        "left", "right", "decided_by"))
