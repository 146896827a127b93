from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .access import can

# The service navigation: each item shows only to people whose roles may use it.
NAVIGATION = [
    (_("Home"), "core:home", None),
    (_("Areas"), "areas:explorer", "areas.view"),
    (_("Crime data"), "crime:imports", "crime.import"),
    (_("Young people"), "cases:dashboard", "cases.view"),
    (_("Intelligence"), "intelligence:home", "intel.submit"),
    (_("Partnership"), "accounts:agencies", "agency.view"),
    (_("People"), "accounts:people", "accounts.manage"),
    (_("Profiles"), "profiles:list", "profiles.view_shared"),
    (_("Evaluation"), "evaluation:index", "evaluation.view"),
    (_("Community"), "engagement:home", "engagement.view"),
    (_("Budgeting"), "budgeting:processes", "budgeting.manage"),
    (_("Priorities"), "priorities:list", "priorities.view_shared"),
    (_("Vulnerability"), "safeguarding:index", "safeguarding.view"),
    (_("MACE and maps"), "safeguarding:mace", "mace.view"),
    (_("Our actions"), "responses:ours", "responses.update"),
    (_("Plan progress"), "responses:progress", "responses.progress"),
    (_("Meetings"), "responses:meetings", "meetings.view"),
    (_("Services"), "partnership:directory", "directory.view"),
    (_("Board"), "dashboards:board", "dashboards.board"),
    (_("Audit"), "core:audit", "audit.view"),
    (_("Data protection"), "core:processing", "dataprotection.manage"),
    (_("Notifications"), "core:notifications", "notifications.view"),
    (_("Your account"), "accounts:account", None),
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


def language(request):
    """What the header's language link and the page's lang attribute need."""
    from urllib.parse import quote

    from . import language as lang

    code = lang.current()
    switch_to = lang.other(code)
    here = request.get_full_path() if request is not None else "/"
    return {
        "switch_language": {"code": switch_to, "name": lang.NAMES[switch_to],
                            "lang": lang.html_lang(switch_to),
                            "url": reverse("core:language", args=[switch_to])
                            + "?next=" + quote(here, safe="/")},
    }
