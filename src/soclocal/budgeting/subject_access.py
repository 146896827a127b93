"""What participatory budgeting holds about a bidder (found by their email address)."""

from soclocal.core import subject_access as sar
from soclocal.core.subject_access import Part, as_record

from .models import Bid


@sar.provider
def held(subject):
    email = subject.keys.get("email")
    if not email:
        return
    bids = Bid.objects.filter(contact_email__iexact=email).select_related("process")
    if bids:
        yield Part("Participatory budgeting", "Bids", [as_record(b) for b in bids],
                   refs=[("budgeting.bid", str(b.pk)) for b in bids])
