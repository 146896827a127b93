"""What the partnership's records hold about a person: directory entries naming them as a
service's contact (found by the email address given, or a staff member's own address)."""

from soclocal.accounts.models import User
from soclocal.core import subject_access as sar
from soclocal.core.subject_access import Part, as_record

from .models import Service


@sar.provider
def held(subject):
    emails = {subject.keys["email"]} if subject.keys.get("email") else set()
    emails |= set(User.objects.filter(pk__in=subject.keys.get("accounts.user", []))
                  .exclude(email="").values_list("email", flat=True))
    services = [s for e in emails for s in Service.objects.filter(contact_email__iexact=e)]
    if services:
        yield Part("The partnership", "Named as a service's contact in the directory",
                   [as_record(s) for s in services],
                   refs=[("partnership.service", str(s.pk)) for s in services])
