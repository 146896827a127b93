"""Every read of intelligence, scoped to what the person may see."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from soclocal.areas.models import Area
from soclocal.core import networks
from soclocal.core.access import can, get_scoped_or_404, scope, scope_of

from . import exports
from .models import (
    Entity,
    IntelligenceReport,
    Link,
    Merge,
    PairReview,
    Release,
    Requirement,
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
    if not (q or kind):
        return found.none()
    return found[:limit] if limit else found


def links_for(user):
    return scope(user, "intel.entities", Link.objects.select_related(
        "from_entity", "to_entity"))


def links_of(user, entity):
    return links_for(user).filter(Q(from_entity=entity) | Q(to_entity=entity)).prefetch_related(
        "reports")


def report_list(user, *, q="", outcome=""):
    """Reports for the list, newest first: words in the reference or title, an outcome
    ("none" for not yet assessed)."""
    found = reports_for(user)
    for word in (q or "").split():
        found = found.filter(Q(reference__icontains=word) | Q(title__icontains=word))
    if outcome:
        found = found.filter(outcome="" if outcome == "none" else outcome)
    return found.order_by("-created_at", "-pk")


def intelligence_home(user, *, q="", outcome=""):
    data = {"my_submissions": my_submissions(user).filter(submitted_by=user)[:20]}
    if can(user, "intel.assess"):
        data.update(to_assess=submissions_to_assess(user),
                    reports=report_list(user, q=q, outcome=outcome),
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
# The network ---------------------------------------------------------------------------------

@dataclass
class Network:
    graph: "networks.nx.MultiGraph"
    entities: dict  # pk -> Entity, those in the graph
    links: dict  # pk -> Link, those in the graph

    def ftm_lines(self):
        return exports.ftm_lines(self.entities.values(), self.links.values())


def network(user, *, kinds=(), gradings=(), at_least=None, on=None, around=None,
            steps=2) -> Network:
    """The network of entities and links the person may see, filtered by link kind, grading
    and date, or only what lies within `steps` links of the entity `around`. The page, its
    exports and the API all read it here."""
    people, links = exports.network_records(entities_for(user), links_for(user))
    entities = {e.pk: e for e in people}
    graph = exports.graph(people, links)
    if kinds:
        graph = networks.filter_kinds(graph, kinds)
    if gradings or at_least:
        graph = networks.filter_grading(graph, gradings, at_least=at_least)
    if on:
        graph = networks.as_on(graph, on)
    if around is not None and around in graph:
        graph = networks.ego(graph, around, steps)
    kept = {d["id"] for _, _, d in graph.edges(data=True)}
    return Network(graph, {pk: entities[pk] for pk in graph},
                   {k.pk: k for k in links if k.pk in kept})


# Intelligence requirements -------------------------------------------------------------------

def _requirements():
    return Requirement.objects.select_related("area", "tasked_agency", "owning_agency", "set_by")


def requirements_set(user):
    """Requirements the person's own force set (the officers who set them follow them up)."""
    if scope_of(user, "intel.requirements") is None:
        return Requirement.objects.none()
    return _requirements().filter(owning_agency_id=user.agency_id)


def requirements_tasked(user):
    """Requirements tasked to the person's agency, which its staff may answer."""
    return scope(user, "intel.tasked", _requirements())


def requirements_for(user):
    return _requirements().filter(Q(pk__in=requirements_set(user).values("pk"))
                                  | Q(pk__in=requirements_tasked(user).values("pk")))


def get_requirement(user, pk) -> Requirement:
    found = requirements_for(user).filter(pk=pk).first()
    if found is None:  # the shared helper audits the refusal and raises the 404
        get_scoped_or_404(user, "intel.tasked", Requirement.objects.none(), pk=pk)
    return found


def open_requirements(queryset):
    return queryset.filter(status=Requirement.Status.OPEN)


def open_requirements_tasked_to(agencies):
    """Open requirements tasked to these agencies, for a tasking meeting's agenda (which shows
    them to the police only)."""
    return open_requirements(_requirements()).filter(tasked_agency__in=agencies)


def overdue_requirements(queryset, on=None):
    return open_requirements(queryset).filter(due_on__lt=on or timezone.localdate())


def answers_to(user, requirement):
    """The answers the person may open: all of them for the force that set the requirement,
    else only the person's own (a manager, the team's)."""
    return submissions_for(user).filter(requirement=requirement)


# Analysts' counts -----------------------------------------------------------------------------

NOT_PLACED = "Not placed"


def submission_theme(s) -> str:
    """What a piece of intelligence is about, without its content."""
    if s is None:
        return "Other intelligence"
    if s.child_at_risk:
        return "Child at risk"
    if s.adult_at_risk:
        return "Vulnerable adult at risk"
    if s.requirement_id:
        return "Answer to a requirement"
    return "Other intelligence"


def _ward_of(area):
    if area is None:
        return None
    return area if area.type == "ward" else area.ward


def intelligence_counts(user) -> list[dict]:
    """Reports and submissions counted by ward, month and theme, with no content. A report is
    in the wards of the addresses placed in it (each once), else in its submission's
    requirement's area; a submission in its requirement's area, else its reports' wards."""
    reports = scope(user, "intel.analysis", IntelligenceReport.objects.select_related(
        "submission", "submission__requirement__area__ward"))
    submissions = scope(user, "intel.analysis", Submission.objects.select_related(
        "requirement__area__ward"))
    report_wards = {}
    for report_id, ward in Entity.objects.filter(
            kind=Entity.Kind.ADDRESS, ward__isnull=False,
            reports__in=reports).values_list("reports", "ward").distinct():
        report_wards.setdefault(report_id, set()).add(ward)
    wards = {a.pk: a for a in Area.objects.filter(
        pk__in={w for ws in report_wards.values() for w in ws}).defer("geometry")}
    counts = {}

    def count(where, month, theme, column):
        for ward in where or [None]:
            key = (ward, month, theme)
            row = counts.setdefault(key, {"reports": 0, "submissions": 0})
            row[column] += 1

    submission_wards = {}
    for r in reports:
        placed = [wards[w] for w in report_wards.get(r.pk, ())]
        requirement = r.submission.requirement if r.submission else None
        where = placed or [_ward_of(getattr(requirement, "area", None))]
        if r.submission_id:
            submission_wards.setdefault(r.submission_id, set()).update(placed)
        count([w for w in where if w] or None, r.created_at.strftime("%Y-%m"),
              submission_theme(r.submission), "reports")
    for s in submissions:
        where = [_ward_of(s.requirement.area)] if s.requirement and s.requirement.area else []
        where = [w for w in where if w] or sorted(submission_wards.get(s.pk, ()),
                                                  key=lambda a: a.name)
        count(where or None, s.submitted_at.strftime("%Y-%m"), submission_theme(s),
              "submissions")
    rows = [{"ward": ward, "month": month, "theme": theme, **n}
            for (ward, month, theme), n in counts.items()]
    return sorted(rows, key=lambda r: (r["ward"] is None, r["ward"].name if r["ward"] else "",
                                       r["month"], r["theme"]))


def reports_by_area(start, end) -> dict:
    """{LSOA id: number of intelligence reports made from `start` to `end` (dates, inclusive)
    that name an address in that LSOA}. A count for the vulnerability index; nothing of what
    the reports say."""
    from django.db.models import Count

    rows = (Entity.objects.filter(kind=Entity.Kind.ADDRESS, lsoa__isnull=False,
                                  reports__created_at__date__gte=start,
                                  reports__created_at__date__lte=end)
            .values("lsoa").annotate(n=Count("reports", distinct=True)))
    return {r["lsoa"]: r["n"] for r in rows}


# For other contexts (priorities): what a suspected group rests on, and reports by reference.

def group_evidence(user, members) -> dict:
    """The people in a suspected group, the links among them and the reports that mention
    them or those links, as this officer may see them."""
    ids = [m.pk for m in members]
    people = [m for m in members if m.kind == Entity.Kind.PERSON]
    links = links_for(user).filter(from_entity_id__in=ids, to_entity_id__in=ids)
    reports = reports_for(user).filter(Q(entities__in=ids) | Q(links__in=links.values("pk"))
                                       ).distinct().order_by("reference")
    return {"people": len(people), "entities": len(ids), "links": links.count(),
            "reports": [(r.pk, r.reference) for r in reports]}


def find_report(user, reference: str):
    """The report with this reference if the person may assess it, else None."""
    return reports_for(user).filter(reference__iexact=(reference or "").strip()).first()


def visible_requirement_ids(user, ids) -> set[str]:
    return {str(pk) for pk in requirements_for(user).filter(pk__in=ids)
            .values_list("pk", flat=True)}


def agency_links() -> list[dict]:
    """Releases of sanitised intelligence, from the owning force to the receiving agency, for
    the partnership's map: agencies and dates only, never the intelligence."""
    links = []
    for r in Release.objects.values("pk", "agency_id", "released_at", "withdrawn_at",
                                    "sanitised__report__owning_agency_id"):
        owner = r["sanitised__report__owning_agency_id"]
        if owner and owner != r["agency_id"]:
            links.append({"id": f"release-{r['pk']}", "source": owner, "target": r["agency_id"],
                          "kind": "intelligence release", "start": r["released_at"].date(),
                          "end": r["withdrawn_at"].date() if r["withdrawn_at"] else None})
    return links
