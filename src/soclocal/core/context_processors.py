from django.conf import settings
from django.urls import reverse

from .access import can

# The service navigation: each item shows only to people whose roles may use it.
NAVIGATION = [
    ("Home", "core:home", None),
    ("Areas", "areas:explorer", "areas.view"),
    ("Crime data", "crime:imports", "crime.import"),
    ("Young people", "cases:dashboard", "cases.view"),
    ("Intelligence", "intelligence:home", "intel.submit"),
    ("Partnership", "accounts:agencies", "agency.view"),
    ("People", "accounts:people", "accounts.manage"),
    ("Profiles", "profiles:list", "profiles.view_shared"),
    ("Evaluation", "evaluation:index", "evaluation.view"),
    ("Community", "engagement:home", "engagement.view"),
    ("Budgeting", "budgeting:processes", "budgeting.manage"),
    ("Priorities", "priorities:list", "priorities.view_shared"),
    ("Vulnerability", "safeguarding:index", "safeguarding.view"),
    ("MACE and maps", "safeguarding:mace", "mace.view"),
    ("Our actions", "responses:ours", "responses.update"),
    ("Plan progress", "responses:progress", "responses.progress"),
    ("Meetings", "responses:meetings", "meetings.view"),
    ("Services", "partnership:directory", "directory.view"),
    ("Board", "dashboards:board", "dashboards.board"),
    ("Audit", "core:audit", "audit.view"),
    ("Data protection", "core:processing", "dataprotection.manage"),
    ("Notifications", "core:notifications", "notifications.view"),
    ("Your account", "accounts:account", None),
]


def site(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for label, name, capability in NAVIGATION:
            if capability is None or can(user, capability):
                url = reverse(name)
                active = request.path == url if url == "/" else request.path.startswith(url)
                item = {"label": label, "url": url, "active": active}
                if name == "core:notifications":
                    from .notifications import unread_count

                    item["count"] = unread_count(user)
                items.append(item)
        # Only the closest match is current (/vulnerability/mace/ is not also /vulnerability/).
        current = max((i for i in items if i["active"]), key=lambda i: len(i["url"]),
                      default=None)
        for i in items:
            i["active"] = i is current
    from soclocal.accounts.selectors import partnership_name

    return {
        "navigation": items,
        "demo_mode": not settings.PRODUCTION,
        "partnership_name": partnership_name(),
    }
