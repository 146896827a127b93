"""The board's dashboard, on screen and as a PDF to circulate: thin views."""

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from soclocal.core import audit
from soclocal.core.access import requires

from . import selectors


# The board's figures cover twelve months and are read far more often than they change:
# each viewer's are kept this long, and the page says when they were produced.
BOARD_CACHE_SECONDS = 300


@requires("dashboards.board")
def board(request):
    key = f"dashboards.board:{request.user.pk}"
    data = cache.get(key)
    if data is None:
        data = selectors.board(request.user)
        cache.set(key, data, BOARD_CACHE_SECONDS)
    audit.record("dashboards.board.viewed", detail={"format": "html"})
    return render(request, "dashboards/board.html", data)


@requires("dashboards.board")
def board_pdf(request):
    from weasyprint import HTML

    data = selectors.board(request.user)
    html = render_to_string("dashboards/board_file.html", data)
    audit.record("dashboards.board.exported", detail={"format": "pdf"})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="board-dashboard-{data["today"]:%Y-%m-%d}.pdf"')
    return response
