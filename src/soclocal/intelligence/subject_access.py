"""What intelligence holds about a person, where it is lawful to disclose: what a resident sent
(found by the contact details they gave) is theirs. Intelligence about a person is counted for
the reviewer and withheld: disclosing it would be likely to prejudice the prevention or
detection of crime (DPA 2018 section 45(4)), which the force's data protection officer decides
case by case."""

from soclocal.core import subject_access as sar
from soclocal.core.subject_access import Part, as_record

from .models import Entity, Submission

CONTEXT = "Intelligence"
WITHHELD = ("{n} intelligence record(s) about a person of this name and date of birth are "
            "withheld from this export: the force's data protection officer decides what may "
            "be disclosed (DPA 2018 section 45(4)).")


@sar.provider
def held(subject):
    email = subject.keys.get("email")
    if email:
        sent = Submission.objects.filter(contact__iexact=email)
        if sent:
            yield Part(CONTEXT, "What they sent to the intelligence officers",
                       [as_record(s, leave_out=("client_key", "identifying")) for s in sent],
                       refs=[("intelligence.submission", str(s.pk)) for s in sent])
    if subject.kind == "young person":
        from soclocal.cases.models import YoungPerson

        n = 0
        for person in YoungPerson.objects.filter(pk__in=subject.keys["cases.youngperson"]):
            n += Entity.objects.filter(surname__iexact=person.last_name,
                                       date_of_birth=person.date_of_birth).count()
        if n:
            yield Part(CONTEXT, "Intelligence", [], note=WITHHELD.format(n=n))
