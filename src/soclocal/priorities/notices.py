"""Notifications about decisions whose review has fallen due (decision 0033)."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from soclocal.core import notifications

from .models import Decision
from .selectors import latest_decision


@notifications.due_check
def reviews_due(today) -> int:
    told = 0
    for d in Decision.objects.filter(review_date__lte=today).select_related("threat", "owner"):
        if latest_decision(d.threat).pk != d.pk:
            continue  # a later decision replaced it
        told += len(notifications.notify(
            [d.owner], "decision.review_due",
            _("Review due: %(threat)s") % {"threat": d.threat.title},
            _("The decision to %(outcome)s is due for review on %(date)s.") % {
                "outcome": d.get_outcome_display().lower(),
                "date": date_format(d.review_date, "j F Y")}, d.threat.get_absolute_url(),
            f"decision.review_due:{d.pk}"))
    return told
