"""The profile's files: a self-contained HTML page, a PDF, JSON and a zip of CSV tables."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.text import slugify

from . import report, selectors


def _standalone_html(version, doc, sharing) -> str:
    css_path = finders.find("profiles/report.css")
    css = open(css_path).read() if css_path else ""
    return render_to_string("profiles/report_file.html", {
        "version": version, "doc": doc, "sharing": sharing, "css": css,
        "map_svg": report.map_svg(selectors.map_features(version, doc)),
        **report.template_context(doc),
    })


def render_file(version, fmt: str, *, sharing: bool):
    """(content, content type, file name) of a profile in a format."""
    doc = selectors.document(version, sharing=sharing)
    name = (f"profile-{slugify(version.area.name)}-{version.month_from}-{version.month_to}"
            f"-v{version.version}{'-sharing' if sharing else ''}")
    if fmt == "json":
        return report.to_json(doc), "application/json", f"{name}.json"
    if fmt == "csv":
        return report.to_csv_zip(doc), "application/zip", f"{name}-csv.zip"
    html = _standalone_html(version, doc, sharing)
    if fmt == "html":
        return html, "text/html; charset=utf-8", f"{name}.html"
    if fmt == "pdf":
        from weasyprint import HTML

        return HTML(string=html).write_pdf(), "application/pdf", f"{name}.pdf"
    raise ValueError(f"Unknown format '{fmt}': use html, pdf, json or csv.")
