"""Long work off the request: a `Job` row people can watch, run by `soclocal worker`.

`start(actor, kind, title, "dotted.path.to.function", **kwargs)` records the job and queues
it. The function is called as `fn(actor, progress=..., **kwargs)`; it reports progress with
`progress(done, total, message)` and returns a JSON-able summary (a dict; a "url" key, if
present, is where the person goes to see the result). An exception with an `errors` list
(such as `ImportFailed`) fails the job with those errors, shown to the person.

Progress is written outside any transaction, so long work should keep its own transaction
to the final write (imports validate first, then write).

A worker that dies mid-job (killed, out of memory, the machine stopped) cannot mark its own
job. Each worker is named after its machine and process (`worker_id()`); when a worker starts
it runs `sweep_stopped()`, which fails every job still running under a worker of this machine
whose process is gone, saying so, and the job's owner can start it again (`retry`). The work
itself is all or nothing (imports stage then swap; services write in one transaction), so a
stopped job has changed nothing, or (a crime import killed while swapping) is finished by the
crime store's own recovery.
"""

import errno
import logging
import os
import socket
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


STOPPED = ("The worker running this job stopped before it finished, so nothing was saved. "
           "Start it again.")


def worker_id(pid: int | None = None) -> str:
    """The name a worker records on each task it claims: this machine and its process."""
    host = socket.gethostname()[:40] or "localhost"
    return f"{host}:{pid or os.getpid()}"


def _process_gone(worker: str) -> bool:
    host, _, pid = worker.rpartition(":")
    if host != worker_id().rpartition(":")[0] or not pid.isdecimal():
        return False  # another machine's worker (or an unnamed one): not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _task_of(job: Job):
    from django_tasks_db.models import DBTaskResult

    return (DBTaskResult.objects.filter(args_kwargs__args__0=str(job.pk))
            .order_by("-enqueued_at").first())


def sweep_stopped() -> list[Job]:
    """Fail every job whose worker process on this machine has gone; returns them."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    stopped = []
    for task_result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        if not task_result.worker_ids or not _process_gone(task_result.worker_ids[-1]):
            continue
        args = (task_result.args_kwargs or {}).get("args") or []
        DBTaskResult.objects.filter(pk=task_result.pk).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now(),
            exception_class_path="soclocal.core.jobs.WorkerStopped", traceback="")
        job = Job.objects.filter(pk=args[0]).first() if args else None
        if job is None or job.finished:
            continue
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, errors=[STOPPED],
                                             finished_at=timezone.now(), message="")
        audit.record("job.stopped", actor=job.owner, obj=job,
                     detail={"worker": task_result.worker_ids[-1]})
        log.warning("job %s stopped with its worker %s", job.pk, task_result.worker_ids[-1])
        stopped.append(job)
    return stopped


def can_retry(job: Job) -> bool:
    return job.status == Job.Status.FAILED and STOPPED in (job.errors or [])


def retry(actor, job: Job) -> Job:
    """Start a stopped job again, as a new job with the same work."""
    task_result = _task_of(job)
    if not can_retry(job) or task_result is None:
        raise ValueError("only a job whose worker stopped can be started again")
    _job_id, function, kwargs = task_result.args_kwargs["args"]
    again = start(actor, job.kind, job.title, function, **kwargs)
    audit.record("job.retried", actor=actor, obj=job, detail={"new_job": str(again.pk)})
    return again


def disk_problem(failure) -> str:
    """What to tell a person when the disk is full (or the work could not write a file)."""
    if isinstance(failure, OSError) and failure.errno == errno.ENOSPC:
        return ("The disk is full, so nothing was saved. Ask your system administrator to "
                "free some space, then start it again.")
    return ""


@task()
def run_job(job_id: str, function: str, kwargs: dict):
    job = Job.objects.select_related("owner").get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now())
    try:
        result = import_string(function)(job.owner, progress=_progress_writer(job_id), **kwargs)
    except Exception as failure:  # the person sees what went wrong; the log keeps the trace
        errors = [str(e) for e in getattr(failure, "errors", [])] or [
            disk_problem(failure) or str(failure) or failure.__class__.__name__]
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
