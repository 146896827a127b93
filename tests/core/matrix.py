"""Core pages added after the matrix's own table: notifications, data protection, starting
a job again."""

PAGES = {
    "core:notifications": ("notifications.view", False),
    "core:notifications_read": ("notifications.view", True),
    "core:processing": ("dataprotection.manage", False),
    "core:processing_pdf": ("dataprotection.manage", False),
    "core:retention": ("dataprotection.manage", False),
    "core:subject_access": ("dataprotection.manage", False),
    "core:job_retry": ("jobs.view", True),
    "core:language": ("public", False),  # choosing Welsh or English, signed in or not
}

API = {}


def context():
    return {}


def url_kwargs(name, ctx):
    if name == "core:language":
        return {"code": "cy"}
    if name == "core:job_retry":
        return {"pk": ctx.get("job", "00000000-0000-0000-0000-000000000000")}
    return None


def api_path(template, ctx):
    return template
