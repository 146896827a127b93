"""What safeguarding holds about a person: indicators seen for a young person's cases, their
referrals to the MACE panel and what the panel heard about them (never other children's), and the
record of an adult at risk of cuckooing (found by their full name) with the agencies involved."""

from soclocal.cases.selectors import case_ids_of
from soclocal.core import subject_access as sar
from soclocal.core.subject_access import Part, Subject, as_record

from .models import MaceHearing, MaceReferral, Sighting, VulnerableAdult

CONTEXT = "Safeguarding"


@sar.finder
def find(query):
    parts = query.split()
    if len(parts) >= 2:
        adults = VulnerableAdult.objects.filter(first_name__iexact=parts[0],
                                                last_name__iexact=" ".join(parts[1:]))
        if adults:
            yield Subject("adult at risk", str(adults[0]),
                          {"safeguarding.vulnerableadult": [a.pk for a in adults]})


@sar.provider
def held(subject):
    if "cases.youngperson" in subject.keys:
        seen = Sighting.objects.filter(case__young_person__in=subject.keys["cases.youngperson"]) \
            .select_related("place").order_by("seen_on")
        if seen:
            yield Part(CONTEXT, "Exploitation indicators seen",
                       [as_record(s) for s in seen],
                       refs=[("safeguarding.sighting", str(s.pk)) for s in seen])
        cases = case_ids_of(subject.keys["cases.youngperson"])
        referrals = MaceReferral.objects.filter(case_id__in=cases)
        hearings = MaceHearing.objects.filter(referral__in=referrals).select_related("meeting")
        if referrals:
            yield Part(CONTEXT, "Referrals to the MACE panel",
                       [as_record(r) for r in referrals],
                       refs=[("safeguarding.macereferral", str(r.pk)) for r in referrals])
        if hearings:
            yield Part(CONTEXT, "What the MACE panel heard and agreed",
                       [{**as_record(h), "actions": [as_record(a) for a in h.actions.all()]}
                        for h in hearings],
                       refs=[("safeguarding.macehearing", str(h.pk)) for h in hearings])
    if "safeguarding.vulnerableadult" in subject.keys:
        adults = VulnerableAdult.objects.filter(pk__in=subject.keys["safeguarding.vulnerableadult"])
        records = []
        for adult in adults:
            record = as_record(adult)
            record["agencies involved"] = [as_record(i) for i in adult.involvements.all()]
            records.append(record)
        yield Part(CONTEXT, "Recorded as an adult at risk of cuckooing", records,
                   refs=[("safeguarding.vulnerableadult", str(a.pk)) for a in adults])
