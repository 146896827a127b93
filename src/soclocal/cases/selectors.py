"""Every read of early intervention records, scoped to what the person may see."""

import difflib
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q
from django.utils import timezone

from soclocal.core.access import Role, can, get_scoped_or_404, roles_of, scope
from soclocal.core.models import Share

from . import star
from .models import Case, Plan, Referral, StarInstrument, StarReading, Transfer, YoungPerson

TRIAGE_DUE_DAYS = 3
FIRST_CONTACT_DUE_DAYS = 10
ASSESSMENT_DUE_DAYS = 28


def _setting(name, default):
    return getattr(settings, name, default)


def cases_for(user, capability="cases.view"):
    """Cases the person may reach. A practitioner sees their team's cases unless the
    partnership turns that off (CASES_PRACTITIONERS_SEE_TEAM), then only their own."""
    qs = scope(user, capability, Case.objects.select_related(
        "young_person", "owning_agency", "owning_team", "practitioner", "peer_mentor"))
    roles = roles_of(user)
    if (not _setting("CASES_PRACTITIONERS_SEE_TEAM", True) and Role.PRACTITIONER in roles
            and Role.MANAGER not in roles):
        shared = Share.objects.filter(content_type=ContentType.objects.get_for_model(Case),
                                      agency_id=user.agency_id, revoked_at__isnull=True)
        qs = qs.filter(Q(practitioner=user) | Q(peer_mentor=user)
                       | Q(pk__in=shared.values("object_id")))
    return qs


def get_case(user, pk, capability="cases.view") -> Case:
    """One case or a 404 (audited) that does not say whether it exists."""
    return get_scoped_or_404(user, capability, cases_for(user, capability), pk=pk)


def is_limited_viewer(user, case) -> bool:
    """Peer mentors see what their sessions need, not other agencies' notes or the risks."""
    roles = roles_of(user)
    return Role.PEER_MENTOR in roles and not roles & {Role.PRACTITIONER, Role.MANAGER}


def search_young_people(user, *, name="", date_of_birth=None, limit=10,
                        capability="cases.refer"):
    """Possible matches before a new record is made: similar names, the same birthday.

    Fuzzy matching (difflib) is done in Python over the people the user may reach, so a
    misspelt name still finds the existing record.
    """
    people = scope(user, capability, YoungPerson.objects.filter(merged_into__isnull=True))
    people = YoungPerson.objects.filter(pk__in=people.values("pk")).select_related("home_area")
    name = " ".join(name.lower().split())
    found = []
    for person in people:
        full = f"{person.first_name} {person.last_name}".lower()
        ratio = difflib.SequenceMatcher(None, name, full).ratio() if name else 0
        last = difflib.SequenceMatcher(None, name.split()[-1] if name else "",
                                       person.last_name.lower()).ratio() if name else 0
        score = max(ratio, last * 0.9)
        if date_of_birth and person.date_of_birth == date_of_birth:
            score += 0.5
        if score >= 0.75:
            found.append((score, person))
    found.sort(key=lambda p: (-p[0], p[1].last_name, p[1].first_name))
    return [p for _, p in found[:limit]]


def referral_queue(user):
    """Referrals waiting for triage in the manager's scope, the longest waiting first."""
    cases = cases_for(user, "cases.manage").filter(status=Case.Status.AWAITING_TRIAGE)
    return (Referral.objects.filter(case__in=cases.values("pk"), decision="")
            .select_related("case__young_person").order_by("received_at", "pk"))


def queue_rows(referrals):
    """What the queue shows of each referral: how long it has waited, and if too long."""
    now = timezone.now()
    return [{"referral": r, "case": r.case, "waiting_days": (now - r.received_at).days,
             "overdue": (now - r.received_at).days > TRIAGE_DUE_DAYS} for r in referrals]


def star_summary(case):
    """Approved readings for the chart: first, previous and latest, with change per area."""
    readings = list(case.readings.filter(approved_at__isnull=False)
                    .select_related("instrument").prefetch_related("scores__area")
                    .order_by("taken_on", "pk"))
    # Scores on different stars do not compare: chart the readings made with the star of
    # the latest one (each reading keeps the star it was made with).
    instrument = readings[-1].instrument if readings else star.active_instrument()
    readings = [r for r in readings if r.instrument_id == instrument.pk]
    areas = [a.name for a in instrument.areas.all()]
    picked = []
    if readings:
        picked.append(("First", readings[0]))
        if len(readings) > 2:
            picked.append(("Previous", readings[-2]))
        if len(readings) > 1:
            picked.append(("Latest", readings[-1]))

    def scores(r):
        by_area = {s.area.name: s.score for s in r.scores.all()}
        return [by_area.get(a, 0) for a in areas]

    series = [(f"{label} ({r.taken_on:%-d %b %Y})", scores(r)) for label, r in picked]
    rows = [{"area": a, "values": [s[1][i] for s in series]} for i, a in enumerate(areas)]
    change = {}
    if len(readings) > 1:
        change = star.change_per_area(dict(zip(areas, scores(readings[0]), strict=True)),
                                      dict(zip(areas, scores(readings[-1]), strict=True)))
    for row in rows:
        row["change"] = change.get(row["area"])
    return {
        "svg": star.radar_svg(areas, series, scale_max=instrument.scale_max,
                              title=f"Outcomes star for {case.young_person}"),
        "instrument": instrument,
        "series": [label for label, _ in series], "rows": rows,
        "reassessment_due": (readings[-1].taken_on
                             + timedelta(days=instrument.reassess_every_days)) if readings
        else None,
    }


def plan_initial(case) -> dict:
    """The latest plan of a case (already reached through get_case) as the plan form's
    starting values, so a new version begins from the last one."""
    plan = case.plans.order_by("-created_at", "-pk").first()
    values = {}
    if plan is None:
        return values
    for g in plan.goals.all():
        if g.star_area_id:
            values[f"goal_{g.star_area_id}"] = g.description
    actions = list(plan.actions.select_related("goal"))
    for i, a in enumerate(actions):
        values.update({f"action_{i}_goal": str(a.goal.star_area_id) if a.goal and
                       a.goal.star_area_id else "",
                       f"action_{i}_for": a.for_whom, f"action_{i}_kind": a.kind,
                       f"action_{i}_description": a.description, f"action_{i}_owner": a.owner,
                       f"action_{i}_due_on": a.due_on})
    values["action_rows"] = len(actions) + 1
    return values


def case_detail(user, case):
    limited = is_limited_viewer(user, case)
    contacts = case.contacts.select_related("recorded_by", "recorded_by_agency").prefetch_related(
        "goals")
    if limited:
        contacts = contacts.filter(Q(recorded_by_agency=user.agency_id) | Q(recorded_by=user))
    plan = case.plans.order_by("-created_at", "-pk").prefetch_related(
        "goals__star_area", "actions__goal", "reviews").first()
    shares = Share.objects.filter(content_type=ContentType.objects.get_for_model(Case),
                                  object_id=case.pk).select_related("agency", "created_by",
                                                                     "agreement")
    return {
        "case": case, "young_person": case.young_person, "limited": limited,
        "family": case.young_person.family.all(),
        "referrals": case.referrals.select_related("created_by", "decided_by").order_by(
            "received_at", "pk"),
        "assignments": case.assignments.select_related("practitioner", "peer_mentor",
                                                       "assigned_by"),
        "outreach": case.outreach.select_related("recorded_by"),
        "contacts": contacts,
        "readings": case.readings.select_related("recorded_by", "approved_by").prefetch_related(
            "scores__area"),
        "star": star_summary(case),
        "plan": plan, "plans": case.plans.count(),
        "closures": case.closures.select_related("requested_by", "approved_by"),
        "pending_closure": case.closures.filter(approved_at__isnull=True).last()
        if case.status == Case.Status.CLOSURE_REQUESTED else None,
        "shares": [] if limited else list(shares),
        "transfers": [] if limited else list(case.transfers.select_related(
            "to_agency", "from_agency")),
    }


def work_due(user, cases):
    """What needs doing on these cases, oldest first."""
    today = timezone.localdate()
    items = []
    # Only these statuses can have work due; closed cases would only be fetched to be skipped.
    cases = list(cases.filter(status__in=[Case.Status.AWAITING_TRIAGE, Case.Status.OPEN,
                                          Case.Status.CLOSURE_REQUESTED]))
    # The dates the rules need, read as values (no record objects): the latest referral, the
    # star readings and the latest plan of each case.
    ids = [c.pk for c in cases]
    latest_referral = {}
    for case_id, received_at, decided_at in Referral.objects.filter(case_id__in=ids) \
            .order_by("case_id", "received_at", "pk") \
            .values_list("case_id", "received_at", "decided_at"):
        latest_referral[case_id] = (received_at, decided_at)
    readings: dict = {}
    for case_id, *reading in StarReading.objects.filter(case_id__in=ids) \
            .order_by("case_id", "taken_on", "pk") \
            .values_list("case_id", "taken_on", "approved_at", "instrument__reassess_every_days"):
        readings.setdefault(case_id, []).append(reading)
    latest_plan = {}
    for case_id, *plan in Plan.objects.filter(case_id__in=ids) \
            .annotate(reviewed=Max("reviews__reviewed_on")) \
            .order_by("case_id", "created_at", "pk").values_list("case_id", "created_at", "approved_at", "review_every_days", "reviewed"):
        latest_plan[case_id] = plan
    for case in cases:
        referral = latest_referral.get(case.pk)
        if case.status == Case.Status.AWAITING_TRIAGE and referral:
            due = referral[0].date() + timedelta(days=TRIAGE_DUE_DAYS)
            items.append(("Triage", case, due))
        if case.status == Case.Status.CLOSURE_REQUESTED:
            items.append(("Approve closure", case, today))
        if case.status != Case.Status.OPEN or referral is None:
            continue
        received_at, decided_at = referral
        accepted = (decided_at or received_at).date()
        if case.first_engaged_on is None:
            items.append(("First contact", case,
                          accepted + timedelta(days=FIRST_CONTACT_DUE_DAYS)))
        since = [r for r in readings.get(case.pk, []) if r[0] >= received_at.date()]
        if not since:
            items.append(("Assessment", case, accepted + timedelta(days=ASSESSMENT_DUE_DAYS)))
        else:
            taken_on, approved_at, reassess_every_days = since[-1]
            if approved_at is None:
                items.append(("Approve reading", case, taken_on))
            else:
                items.append(("Reassessment", case, taken_on + timedelta(days=reassess_every_days)))
        plan = latest_plan.get(case.pk)
        if plan:
            created_at, approved_at, review_every_days, reviewed = plan
            if approved_at is None:
                items.append(("Approve plan", case, created_at.date()))
            else:
                last = max(d for d in (reviewed, approved_at.date()) if d is not None)
                items.append(("Plan review", case, last + timedelta(days=review_every_days)))
    items.sort(key=lambda i: i[2])
    return [{"what": w, "case": c, "due": d, "overdue": d < today} for w, c, d in items
            if d <= today + timedelta(days=14)]


def dashboard(user):
    cases = cases_for(user)
    mine = cases.filter(Q(practitioner=user) | Q(peer_mentor=user)).exclude(
        status__in=[Case.Status.CLOSED, Case.Status.SIGNPOSTED, Case.Status.DECLINED])
    team = cases.filter(owning_team=user.team_id) if user.team_id else cases.none()
    caseload = {}
    for row in (team.filter(status__in=[Case.Status.OPEN, Case.Status.CLOSURE_REQUESTED])
                .order_by().values("practitioner__first_name", "practitioner__last_name",
                                   "practitioner").annotate(n=Count("pk"))):
        key = (f"{row['practitioner__first_name']} {row['practitioner__last_name']}".strip()
               if row["practitioner"] else "Not allocated")
        caseload[key] = caseload.get(key, 0) + row["n"]
    shared = Share.objects.filter(content_type=ContentType.objects.get_for_model(Case),
                                  agency_id=user.agency_id, revoked_at__isnull=True)
    return {
        "mine": mine.order_by("-opened_at", "-pk"), "my_work": work_due(user, mine),
        "team_work": work_due(user, team.exclude(pk__in=mine.values("pk"))),
        "caseload": sorted(caseload.items()),
        "shared_with_us": cases.filter(pk__in=shared.values("object_id")),
        # Only the managers who can answer a transfer see who is being offered.
        "transfers_in": Transfer.objects.filter(to_agency_id=user.agency_id,
                                                status=Transfer.Status.PENDING)
        .select_related("case__young_person", "from_agency")
        if can(user, "cases.manage") else Transfer.objects.none(),
    }


# Aggregates for the service report (see report.py for suppression).

def report_cases(user):
    return scope(user, "cases.report", Case.objects.all())



# Merging duplicate records.

def mergeable_people(user):
    """The records a manager may merge: reachable with cases.manage and not merged already."""
    people = scope(user, "cases.manage", YoungPerson.objects.filter(merged_into__isnull=True))
    return YoungPerson.objects.filter(pk__in=people.values("pk")).select_related("home_area")


def find_for_merge(user, *, name="", date_of_birth=None, limit=20):
    """The same fuzzy search as before a referral; a date of birth alone lists everyone born
    that day."""
    if (name or "").strip():
        return search_young_people(user, name=name, date_of_birth=date_of_birth, limit=limit,
                                   capability="cases.manage")
    return list(mergeable_people(user).filter(date_of_birth=date_of_birth)[:limit])


def _name(person):
    return " ".join(f"{person.first_name} {person.last_name}".lower().split())


def likely_duplicates(user, *, threshold=0.8, limit=20):
    """Pairs of records with the same date of birth and the same or a close name, closest
    first. Only birthdays shared by two or more records are compared, so it stays cheap."""
    people = mergeable_people(user)
    shared = (people.values("date_of_birth").annotate(n=Count("pk")).filter(n__gt=1)
              .values("date_of_birth"))
    by_birthday = {}
    for person in people.filter(date_of_birth__in=shared).order_by("pk"):
        by_birthday.setdefault(person.date_of_birth, []).append(person)
    pairs = []
    for group in by_birthday.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                ratio = difflib.SequenceMatcher(None, _name(a), _name(b)).ratio()
                if ratio >= threshold:
                    pairs.append({"first": a, "second": b, "similarity": round(100 * ratio)})
    pairs.sort(key=lambda p: (-p["similarity"], p["first"].last_name, p["first"].pk))
    return pairs[:limit]


def merge_side(user, person):
    """What a manager needs to tell two records apart: details and the cases they may see."""
    visible = cases_for(user).filter(young_person=person).select_related(
        "owning_agency", "practitioner")
    return {"person": person, "cases": list(visible),
            "other_cases": person.cases.count() - visible.count(),
            "family": list(person.family.all())}


# The outcomes star instruments.

def instruments():
    """Every star with how many readings use it; the one new readings use is marked."""
    active = star.active_instrument()
    counts = dict(StarReading.objects.values_list("instrument").annotate(n=Count("pk")))
    return [{"instrument": i, "readings": counts.get(i.pk, 0), "active": i.pk == active.pk,
             "areas": i.areas.count()}
            for i in StarInstrument.objects.select_related("previous")]


# Aggregates and indicators for safeguarding (read here, never from safeguarding's views).

def open_cases_by_area(start, end) -> dict:
    """{home area id: number of early-intervention cases open at some time from `start` to
    `end` (dates, inclusive)}. A count for the vulnerability index, never a list of people."""
    qs = (Case.objects.filter(young_person__home_area__isnull=False,
                              status__in=[Case.Status.OPEN, Case.Status.CLOSURE_REQUESTED,
                                          Case.Status.CLOSED],
                              opened_at__date__lte=end)
          .filter(Q(closed_at__isnull=True) | Q(closed_at__date__gte=start))
          .values("young_person__home_area").annotate(n=Count("pk")))
    return {r["young_person__home_area"]: r["n"] for r in qs}


def referral_indicators(cases) -> dict:
    """{case id: [(indicator code, date seen)]} from the referrals of `cases` (a queryset the
    caller has already scoped)."""
    out = {}
    for case_id, when, codes in (Referral.objects.filter(case__in=cases)
                                 .values_list("case_id", "received_at", "indicators")):
        for code in codes or []:
            if code in Referral.Indicator.values:
                out.setdefault(case_id, []).append((code, timezone.localdate(when)))
    return out


def indicator_labels() -> dict:
    return dict(Referral.Indicator.choices)


def active_cases_for(user, capability="cases.view", *, mine=False):
    """The person's reach of cases still being worked (waiting for triage, open, closing);
    `mine` keeps those they hold as practitioner or peer mentor."""
    qs = cases_for(user, capability).filter(status__in=[
        Case.Status.AWAITING_TRIAGE, Case.Status.OPEN, Case.Status.CLOSURE_REQUESTED])
    if mine:
        qs = qs.filter(Q(practitioner=user) | Q(peer_mentor=user))
    return qs


# For other contexts (priorities): cases by number and the cases referrals belong to.

def find_case(user, number):
    """The case with this number if the person may open it, else None."""
    text = str(number or "").strip().lstrip("#")
    return cases_for(user).filter(pk=int(text)).first() if text.isdigit() else None


def cases_of_referrals(referral_ids) -> dict[int, int]:
    """Referral id to the id of the case it belongs to (ids only: a count, never the records)."""
    return dict(Referral.objects.filter(pk__in=referral_ids).values_list("pk", "case_id"))


# Links between agencies, for the partnership's map (aggregate: agencies, kinds and dates only).

def agency_links() -> list[dict]:
    """Case shares (owning agency to the agency it is shared with) and referrals made by one
    agency's staff to a case another agency owns: no young person, only agencies and dates."""
    links = []
    case_type = ContentType.objects.get_for_model(Case)
    owners = dict(Case.objects.values_list("pk", "owning_agency_id"))
    for s in Share.objects.filter(content_type=case_type).values(
            "pk", "object_id", "agency_id", "created_at", "revoked_at"):
        owner = owners.get(s["object_id"])
        if owner and owner != s["agency_id"]:
            links.append({"id": f"share-{s['pk']}", "source": owner, "target": s["agency_id"],
                          "kind": "case share", "start": s["created_at"].date(),
                          "end": s["revoked_at"].date() if s["revoked_at"] else None})
    for r in Referral.objects.values("pk", "received_at", "created_by__agency_id",
                                     "case__owning_agency_id"):
        made_by, owner = r["created_by__agency_id"], r["case__owning_agency_id"]
        if made_by and owner and made_by != owner:
            day = r["received_at"].date()
            links.append({"id": f"referral-{r['pk']}", "source": made_by, "target": owner,
                          "kind": "referral", "start": day, "end": day})
    return links


def case_ids_of(young_person_ids) -> list[int]:
    """The numbers of the cases of these young people (for contexts that keep a case number)."""
    return list(Case.objects.filter(young_person__in=young_person_ids).values_list("pk", flat=True))
