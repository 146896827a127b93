"""How young people's records end: chosen by the rule declared on `YoungPerson`, deleted here
with everything held about them (cases, referrals, readings, plans, contacts, closures,
transfers, family members and any duplicate records merged into them)."""

from django.db.models import Q

from soclocal.core.retention import forget_links

from .models import (
    Case,
    Closure,
    Contact,
    FamilyMember,
    Plan,
    Referral,
    StarReading,
    Transfer,
    YoungPerson,
)


def closed_long_ago(queryset, cutoff):
    """Young people every one of whose cases closed before the cutoff (none still open), and
    who are not themselves a duplicate merged into another record (they go with it)."""
    return queryset.filter(merged_into__isnull=True).exclude(
        Q(cases__closed_at__isnull=True) | Q(cases__closed_at__gte=cutoff))


def erase_young_people(records):
    ids = set(records.values_list("pk", flat=True))
    frontier = set(ids)
    while frontier:  # duplicates merged into them, and into those
        frontier = set(YoungPerson.objects.filter(merged_into__in=frontier)
                       .values_list("pk", flat=True)) - ids
        ids |= frontier
    cases = list(Case.objects.filter(young_person__in=ids).values_list("pk", flat=True))
    transfers = Transfer.objects.filter(case__in=cases)
    share_ids = list(transfers.values_list("share_id", flat=True))
    for model in (Contact, Closure):
        model.objects.filter(case__in=cases).delete()
    transfers.delete()
    from soclocal.core.models import Share

    Share.objects.filter(pk__in=share_ids).delete()
    for model in (Plan, StarReading, Referral):
        gone = list(model.objects.filter(case__in=cases).values_list("pk", flat=True))
        model.objects.filter(pk__in=gone).delete()
        forget_links(model, gone)
    Case.objects.filter(pk__in=cases).delete()
    forget_links(Case, cases)
    FamilyMember.objects.filter(young_person__in=ids).delete()
    # Merged duplicates point at the record they were merged into: remove them first.
    while ids:
        leaves = set(YoungPerson.objects.filter(pk__in=ids).exclude(
            merged_from__in=ids).values_list("pk", flat=True))
        YoungPerson.objects.filter(pk__in=leaves).delete()
        forget_links(YoungPerson, leaves)
        ids -= leaves
