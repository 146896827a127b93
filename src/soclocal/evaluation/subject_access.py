"""What the outcome evaluation holds about a young person: the police records their record
was linked to. Saved evaluations hold only pseudonymous keys, which are not looked up here."""

from soclocal.core import subject_access as sar
from soclocal.core.subject_access import Part, as_record

from .models import Link


@sar.provider
def held(subject):
    if "cases.youngperson" in subject.keys:
        links = Link.objects.filter(young_person__in=subject.keys["cases.youngperson"]) \
            .select_related("police_person")
        if links:
            yield Part("Outcome evaluation", "Links to police records for the evaluation",
                       [as_record(link) for link in links],
                       refs=[("evaluation.link", str(link.pk)) for link in links],
                       note="Saved evaluations hold a pseudonymous key for each young person, "
                            "not their name or date of birth.")
