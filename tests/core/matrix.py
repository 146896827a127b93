"""Core pages added after the matrix's own table: notifications, data protection."""

PAGES = {
    "core:notifications": ("notifications.view", False),
    "core:notifications_read": ("notifications.view", True),
    "core:processing": ("dataprotection.manage", False),
    "core:processing_pdf": ("dataprotection.manage", False),
    "core:retention": ("dataprotection.manage", False),
    "core:subject_access": ("dataprotection.manage", False),
}

API = {}


def context():
    return {}


def url_kwargs(name, ctx):
    return None


def api_path(template, ctx):
    return template
