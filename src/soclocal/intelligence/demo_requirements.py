"""Demo intelligence requirements: open questions the force has asked of partners, one of them
overdue and one answered. Invented, made through the services; safe to run again."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from soclocal.accounts.models import Agency, User
from soclocal.areas.models import Area

from . import services
from .models import Requirement

REQUIREMENTS = [
    # (question, ward name, priority, agency, days until due, answered by)
    ("Who is living at flat 12, Sneinton Court (invented), and since when?", "Sneinton",
     "Cuckooing of vulnerable tenants", "Trentside Housing Association", 10, None),
    ("Which pupils have been seen with new phones they will not explain?", "Meadows",
     "Child criminal exploitation around schools", "Nottingham Youth Justice Service", -3, None),
    ("Are there new callers at the flats on Carlton Road (invented) late at night?", "Sneinton",
     "Cuckooing of vulnerable tenants", "Trentside Housing Association", 14,
     "housing.officer"),
]


@transaction.atomic
def load_demo_requirements(progress=None) -> bool:
    officer = User.objects.filter(username="intel").first()
    if officer is None or Requirement.objects.exists():
        return False
    for question, ward, priority, agency_name, days, answerer in REQUIREMENTS:
        agency = Agency.objects.filter(name=agency_name).first()
        if agency is None:
            continue
        area = Area.objects.filter(type="ward", name__icontains=ward).first()
        requirement = services.set_requirement(
            officer, question=question, tasked_agency=agency, area=area, priority=priority,
            due_on=timezone.localdate() + timedelta(days=max(days, 0)))
        if days < 0:  # an overdue one, as if set weeks ago
            Requirement.objects.filter(pk=requirement.pk).update(
                due_on=timezone.localdate() + timedelta(days=days))
        user = User.objects.filter(username=answerer).first() if answerer else None
        if user is not None:
            services.answer_requirement(
                user, requirement, what="Two new names on the door entry list since last "
                "month; the tenant says they are cousins.", where="Carlton Road flats",
                when="Last four weeks", how_known="records")
    if progress:
        progress(1, 1, "Intelligence requirements loaded")
    return True
