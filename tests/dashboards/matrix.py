"""The board's dashboard for the access matrix in tests/core/test_access_matrix.py."""

PAGES = {
    "dashboards:board": ("dashboards.board", False),
    "dashboards:board_pdf": ("dashboards.board", False),
}

API = {}


def context():
    return {}


def url_kwargs(name, ctx):
    return None


def api_path(template, ctx):
    return template
