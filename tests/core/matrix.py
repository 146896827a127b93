"""Core pages added after the matrix's own table: notifications."""

PAGES = {
    "core:notifications": ("notifications.view", False),
    "core:notifications_read": ("notifications.view", True),
}

API = {}


def context():
    return {}


def url_kwargs(name, ctx):
    return None


def api_path(template, ctx):
    return template
