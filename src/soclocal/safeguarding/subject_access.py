"""What safeguarding holds about a person: indicators seen for a young person's cases, and the
record of an adult at risk of cuckooing (found by their full name) with the agencies involved."""

from soclocal.core import subject_access as sar
from soclocal.core.subject_access import Part, Subject, as_record

from .models import Sighting, VulnerableAdult

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
    if "safeguarding.vulnerableadult" in subject.keys:
        adults = VulnerableAdult.objects.filter(pk__in=subject.keys["safeguarding.vulnerableadult"])
        records = []
        for adult in adults:
            record = as_record(adult)
            record["agencies involved"] = [as_record(i) for i in adult.involvements.all()]
            records.append(record)
        yield Part(CONTEXT, "Recorded as an adult at risk of cuckooing", records,
                   refs=[("safeguarding.vulnerableadult", str(a.pk)) for a in adults])
