"""Core pages added after the matrix's own table: notifications, starting a job again."""

PAGES = {
    "core:notifications": ("notifications.view", False),
    "core:notifications_read": ("notifications.view", True),
    "core:job_retry": ("jobs.view", True),
}

API = {}


def context():
    return {}


def url_kwargs(name, ctx):
    if name == "core:job_retry":
        return {"pk": ctx.get("job", "00000000-0000-0000-0000-000000000000")}
    return None


def api_path(template, ctx):
    return template
