"""The board's dashboard, on screen and as a PDF to circulate: thin views."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from soclocal.core import audit
from soclocal.core.access import requires

from . import selectors


@requires("dashboards.board")
def board(request):
    data = selectors.board(request.user)
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
