"""Crime data pages: past imports, the upload form, one import's record, its rejects."""

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from soclocal.core import jobs
from soclocal.core.access import requires

from . import selectors
from .forms import UploadForm
from .imports import uploads_root


@requires("crime.import")
def imports(request):
    return render(request, "crime/imports.html", {
        "imports": selectors.imports_for(request.user)[:50],
        "summary": selectors.store_summary(),
    })


def _safe_name(name: str) -> str:
    name = Path(name).name
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-") or "upload.csv"


@requires("crime.import")
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        folder = uploads_root() / uuid.uuid4().hex
        folder.mkdir(parents=True)
        for uploaded in form.cleaned_data["files"]:
            with open(folder / _safe_name(uploaded.name), "wb") as out:
                for chunk in uploaded.chunks():
                    out.write(chunk)
        job = jobs.start(request.user, "crime.import", "Import crime data",
                         "soclocal.crime.imports.run_upload", upload=str(folder),
                         accept_rejects=form.cleaned_data["accept_rejects"])
        return redirect("core:job", job.pk)
    return render(request, "crime/upload.html", {"form": form})


@requires("crime.import")
def import_detail(request, pk):
    record = selectors.import_for(request.user, pk)
    return render(request, "crime/import_detail.html", {"record": record})


@requires("crime.import")
def rejects(request, pk):
    record = selectors.import_for(request.user, pk)
    if not record.rejects_file:
        raise Http404("This import rejected nothing")
    base = Path(settings.DATA_DIR).resolve()
    path = (base / record.rejects_file).resolve()
    if base not in path.parents or not path.is_file():
        raise Http404("The rejects file is no longer there")
    return FileResponse(open(path, "rb"), as_attachment=True,
                        filename=f"crime-import-{record.pk}-rejects.csv",
                        content_type="text/csv")
