"""What the partnership holds about a member of staff (their account; what they did is in the
audit events the export adds for them)."""

from soclocal.core import subject_access as sar
from soclocal.core.subject_access import Part, Subject, as_record

from .models import User


@sar.finder
def find(query):
    users = User.objects.filter(username=query) if "@" not in query else \
        User.objects.filter(email__iexact=query)
    for user in users:
        yield Subject("staff member", user.get_full_name() or user.username,
                      {"accounts.user": [user.pk], "username": user.username})


@sar.provider
def held(subject):
    ids = subject.keys.get("accounts.user")
    if not ids:
        return
    users = User.objects.filter(pk__in=ids)
    yield Part("Partnership and accounts", "Account",
               [as_record(u, leave_out=("password",)) |
                {"roles": list(u.role_grants.values_list("role", flat=True)),
                 "api_tokens": list(u.api_tokens.values_list("name", flat=True))}
                for u in users],
               refs=[("accounts.user", str(u.pk)) for u in users])
