"""Long work off the request: a `Job` row people can watch, run by `soclocal worker`.

`start(actor, kind, title, "dotted.path.to.function", **kwargs)` records the job and queues
it. The function is called as `fn(actor, progress=..., **kwargs)`; it reports progress with
`progress(done, total, message)` and returns a JSON-able summary (a dict; a "url" key, if
present, is where the person goes to see the result). An exception with an `errors` list
(such as `ImportFailed`) fails the job with those errors, shown to the person.

Progress is written outside any transaction, so long work should keep its own transaction
to the final write (imports validate first, then write).
"""

import logging
import time

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from . import audit
from .models import Job

log = logging.getLogger(__name__)


def start(actor, kind: str, title: str, function: str, **kwargs) -> Job:
    job = Job.objects.create(kind=kind, title=title, owner=actor,
                             owning_agency=getattr(actor, "agency", None))
    run_job.enqueue(str(job.pk), function, kwargs)
    audit.record("job.started", actor=actor, obj=job, detail={"kind": kind, "title": title})
    return job


def _progress_writer(job_id):
    last = {"at": 0.0}

    def progress(done, total, message=""):
        now = time.monotonic()
        if now - last["at"] < 0.5 and done < total:
            return  # at most two writes a second
        last["at"] = now
        Job.objects.filter(pk=job_id).update(done=done, total=total, message=str(message)[:300])

    return progress


@task()
def run_job(job_id: str, function: str, kwargs: dict):
    job = Job.objects.select_related("owner").get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now())
    try:
        result = import_string(function)(job.owner, progress=_progress_writer(job_id), **kwargs)
    except Exception as failure:  # the person sees what went wrong; the log keeps the trace
        errors = [str(e) for e in getattr(failure, "errors", [])] or [
            str(failure) or failure.__class__.__name__]
        if not hasattr(failure, "errors"):
            log.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, errors=errors[:1000],
                                             finished_at=timezone.now())
        audit.record("job.failed", actor=job.owner, obj=job, detail={"errors": len(errors)})
        return
    result = result or {}
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, result=result, result_url=result.get("url", ""),
        finished_at=timezone.now(), done=1, total=1, message="")
    audit.record("job.finished", actor=job.owner, obj=job)
