from soclocal.core import work

from . import selectors


@work.provider
def reviews(user):
    if not selectors.sees_full_list(user):
        return
    for d in selectors.reviews_due(user):
        yield work.WorkItem("Priority reviews due", f"Review the decision on {d.threat.title}",
                            d.threat.get_absolute_url(), due=d.review_date)
