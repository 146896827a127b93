"""What community engagement holds about a person: requests to join a group (found by the
email address or phone number they gave) and stories that name a young person."""

from soclocal.core import subject_access as sar
from soclocal.core.subject_access import Part, as_record

from .models import JoinRequest, Story


@sar.provider
def held(subject):
    email = subject.keys.get("email")
    if email:
        requests = JoinRequest.objects.filter(contact__iexact=email)
        if requests:
            yield Part("Community engagement", "Requests to join a community group",
                       [as_record(r) for r in requests],
                       refs=[("engagement.joinrequest", str(r.pk)) for r in requests])
    if subject.kind == "young person":
        stories = Story.objects.filter(text__icontains=subject.label)
        if stories:
            yield Part("Community engagement", "Stories that name them",
                       [as_record(s, leave_out=("audio",)) for s in stories],
                       refs=[("engagement.story", str(s.pk)) for s in stories])
