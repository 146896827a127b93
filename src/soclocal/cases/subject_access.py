"""What early intervention holds about a young person or a family member."""

from soclocal.core import subject_access as sar
from soclocal.core.subject_access import Part, Subject, as_record

from .models import Case, FamilyMember, YoungPerson

CONTEXT = "Early intervention"


def _with_merged(person):
    ids = {person.pk}
    frontier = {person.pk}
    while frontier:
        frontier = set(YoungPerson.objects.filter(merged_into__in=frontier)
                       .values_list("pk", flat=True)) - ids
        ids |= frontier
    return sorted(ids)


@sar.finder
def find(query):
    number = sar.case_number(query)
    if number is not None:
        case = Case.objects.filter(pk=number).select_related("young_person").first()
        if case is not None:
            person = case.young_person
            while person.merged_into_id:
                person = person.merged_into
            yield Subject("young person", str(person),
                          {"cases.youngperson": _with_merged(person)})
    digits = "".join(c for c in query if c.isdigit())
    if len(digits) >= 10 and not query.strip().lower().startswith("c"):
        members = [m for m in FamilyMember.objects.exclude(phone="")
                   if "".join(c for c in m.phone if c.isdigit()) == digits]
        if members:
            yield Subject("family member", members[0].name,
                          {"cases.familymember": [m.pk for m in members]})


@sar.provider
def held(subject):
    if "cases.youngperson" in subject.keys:
        yield from _young_person(subject.keys["cases.youngperson"])
    if "cases.familymember" in subject.keys:
        members = FamilyMember.objects.filter(pk__in=subject.keys["cases.familymember"]) \
            .select_related("young_person")
        yield Part(CONTEXT, "Recorded as a family member",
                   [as_record(m) for m in members],
                   refs=[("cases.familymember", str(m.pk)) for m in members],
                   third_parties={str(m.young_person): "the young person" for m in members})


def _young_person(ids):
    people = list(YoungPerson.objects.filter(pk__in=ids))
    cases = list(Case.objects.filter(young_person__in=ids).order_by("opened_at"))
    third = {}
    family = []
    for person in people:
        for m in person.family.all():
            family.append(as_record(m))
            third[m.name] = "family member"
            if m.phone:
                third[m.phone] = "family member's phone"
    refs = [("cases.youngperson", str(p.pk)) for p in people]
    refs += [("cases.case", str(c.pk)) for c in cases]
    yield Part(CONTEXT, "The young person", [as_record(p) for p in people], refs=refs,
               third_parties=third)
    if family:
        yield Part(CONTEXT, "Family", family, third_parties=third,
                   note="Family members' names and phone numbers are other people's data.")
    yield Part(CONTEXT, "Cases", [as_record(c) for c in cases])
    referrals, readings, plans, contacts, closures = [], [], [], [], []
    outreach, allocations, transfers = [], [], []
    for case in cases:
        # Attempts to reach them, who worked with them and moves between agencies are about
        # the young person too.
        outreach += [as_record(o) for o in case.outreach.all()]
        allocations += [as_record(a) for a in case.assignments.all()]
        transfers += [as_record(t) for t in case.transfers.all()]
        for r in case.referrals.all():
            referrals.append(as_record(r))
            refs.append(("cases.referral", str(r.pk)))
            if r.source in ("family", "self", "other"):
                for text in (r.referrer_name, r.referrer_contact):
                    if text:
                        third[text] = "the person who referred"
        for reading in case.readings.all().prefetch_related("scores__area"):
            row = as_record(reading)
            row["scores"] = {s.area.name: s.score for s in reading.scores.all()}
            readings.append(row)
            refs.append(("cases.starreading", str(reading.pk)))
        for plan in case.plans.all():
            row = as_record(plan)
            row["goals"] = [as_record(g, leave_out=("plan",)) for g in plan.goals.all()]
            row["actions"] = [as_record(a, leave_out=("plan",)) for a in plan.actions.all()]
            row["reviews"] = [as_record(v, leave_out=("plan",)) for v in plan.reviews.all()]
            plans.append(row)
            refs.append(("cases.plan", str(plan.pk)))
        for contact in case.contacts.all():
            contacts.append(as_record(contact))
            refs.append(("cases.contact", str(contact.pk)))
        closures += [as_record(c) for c in case.closures.all()]
    yield Part(CONTEXT, "Referrals", referrals, third_parties=third)
    yield Part(CONTEXT, "Outcomes star readings", readings)
    yield Part(CONTEXT, "Plans", plans)
    yield Part(CONTEXT, "Outreach attempts", outreach, third_parties=third)
    yield Part(CONTEXT, "Contacts", contacts, third_parties=third)
    yield Part(CONTEXT, "Allocations", allocations)
    yield Part(CONTEXT, "Transfers", transfers, third_parties=third)
    yield Part(CONTEXT, "Closures", closures)
