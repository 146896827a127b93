"""Nothing lost when the process dies: `kill -9` of the real `soclocal` command mid-way.

Each test runs `soclocal` in a subprocess with a data directory of its own (SQLite, migrated
once for the module and copied), kills it with SIGKILL in the middle of its work (from outside,
or at a named point: `soclocal.core.faults`), "restarts" (runs the next command, as an operator
would) and checks that the data is as before the work or as after it, never in between, and
that the audit chain still verifies.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# The commands run on SQLite files of their own whatever the suite's database, so once is
# enough: not again in the PostgreSQL run.
pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                                reason="runs its commands on SQLite; run once, on SQLite")

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SOCLOCAL = str(BIN / "soclocal")
CRIME = ROOT / "tests" / "fixtures" / "crime"
NOTTS_JAN = CRIME / "2023-01-nottinghamshire-street.csv"
NOTTS_FEB = CRIME / "2023-02-nottinghamshire-street.csv"
PB = ROOT / "tests" / "fixtures" / "pb" / "Poland_Krakow_2019_Bienczyce.pb"
LOOKUPS = ROOT / "tests" / "fixtures" / "profiles" / "city-of-london-lsoa11-lsoa21-ltla22.csv"


def environment(home: Path, **extra) -> dict:
    env = {**os.environ, "SOCLOCAL_DATA_DIR": str(home), "DATABASE_URL": "",
           "SOCLOCAL_MODE": "demo", "PYTHONPATH": str(ROOT), **extra}
    env.pop("SOCLOCAL_KILL_AT", None)
    env.update(extra)
    return env


def soclocal(home, *args, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([SOCLOCAL, *map(str, args)], env=environment(home, **extra),
                          capture_output=True, text=True, cwd=ROOT)


def python(home, code: str) -> str:
    """Run Django code against the data directory (as a restarted process) and return its
    printed output."""
    script = ("import django, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
              "'soclocal.config.settings')\ndjango.setup()\n" + code)
    run = subprocess.run([sys.executable, "-c", script], env=environment(home),
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    home = tmp_path_factory.mktemp("faults") / "var"
    run = soclocal(home, "manage", "migrate", "--verbosity", "0")
    assert run.returncode == 0, run.stderr
    return home


@pytest.fixture
def home(migrated, tmp_path):
    target = tmp_path / "var"
    shutil.copytree(migrated, target)
    return target


def audit_verifies(home):
    run = soclocal(home, "audit", "verify")
    assert run.returncode == 0 and run.stdout.startswith("OK"), run.stdout + run.stderr


STATE = """
import json
from soclocal.areas.models import LsoaLookup
from soclocal.budgeting.models import Ballot, Bid, Process
from soclocal.core import audit
from soclocal.core.models import Job
from soclocal.crime import store
from soclocal.crime.models import CrimeImport
con = store.connect()  # as any reader after a restart: finishes or undoes what was left
print(json.dumps({
    "street": dict(con.execute("SELECT month, count(*) FROM street GROUP BY month").fetchall()),
    "imports": list(CrimeImport.objects.order_by("pk").values_list("status", "notes")),
    "jobs": list(Job.objects.order_by("created_at").values_list("status", "errors")),
    "lookups": LsoaLookup.objects.count(),
    "budgets": [Process.objects.count(), Bid.objects.count(), Ballot.objects.count()],
    "audit_ok": audit.verify().ok,
}))
"""


def state(home, before: str = "") -> dict:
    """What a restarted process finds: the crime store as a reader sees it, the records, and
    whether the audit chain verifies (`before`: code to run first)."""
    return json.loads(python(home, before + STATE).strip().splitlines()[-1])


def many_months(folder: Path, months: int) -> list[Path]:
    """A large import: Nottinghamshire's February rows as many months, and a replacement of
    January with a different number of rows (so before and after differ there)."""
    folder.mkdir()
    text = NOTTS_FEB.read_text(encoding="utf-8")
    paths = []
    for n in range(months):
        month = f"{2010 + n // 12}-{n % 12 + 1:02d}"
        path = folder / f"{month}-nottinghamshire-street.csv"
        path.write_text(text.replace(",2023-02,", f",{month},"), encoding="utf-8")
        paths.append(path)
    jan = folder / "2023-01-nottinghamshire-street.csv"
    jan.write_text(text.replace(",2023-02,", ",2023-01,"), encoding="utf-8")
    return [*paths, jan]


def rows(path: Path) -> int:
    return sum(1 for line in path.read_bytes().splitlines() if line.strip()) - 1


def expected_after(before: dict, files) -> dict:
    return {**before, **{p.name[:7]: rows(NOTTS_FEB) for p in files}}


def test_a_crime_import_killed_from_outside_leaves_the_store_before_or_after(home, tmp_path):
    assert soclocal(home, "import", "crime", NOTTS_JAN).returncode == 0
    before = {"2023-01": rows(NOTTS_JAN)}
    files = many_months(tmp_path / "in", 60)
    after = expected_after(before, files)
    process = subprocess.Popen([SOCLOCAL, "import", "crime", *files], env=environment(home),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    staging = home / "crime" / ".staging"
    # Killed part way: once it has begun writing Parquet into its staging folder.
    while process.poll() is None and not any(staging.glob("*/.batch-*")):
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    found = state(home)
    assert found["street"] in (before, after), "the store holds part of an import"
    assert not any(staging.iterdir())
    # The restarted worker brings the stopped import's record up to date; the audit chain
    # is whole.
    assert soclocal(home, "worker", "--once").returncode == 0
    statuses = [status for status, _notes in state(home)["imports"]]
    assert statuses[0] == "done" and "running" not in statuses
    assert statuses[-1] == ("done" if found["street"] == after else "failed")
    audit_verifies(home)


def test_a_crime_import_killed_while_swapping_months_in_is_finished_on_restart(home, tmp_path):
    assert soclocal(home, "import", "crime", NOTTS_JAN).returncode == 0
    before = {"2023-01": rows(NOTTS_JAN)}
    files = many_months(tmp_path / "in", 6)
    run = soclocal(home, "import", "crime", *files, SOCLOCAL_KILL_AT="crime.swap:3")
    assert run.returncode == -signal.SIGKILL
    assert rows(NOTTS_FEB) != rows(NOTTS_JAN)
    # Three months were swapped in and four still staged when it died; the first reader
    # afterwards finishes the swap, so it reads the whole import, and the worker, restarted,
    # says so on the import's record.
    found = state(home, before="from soclocal.crime.imports import recover_stopped\n")
    assert found["street"] == expected_after(before, files)
    assert found["imports"][-1][0] == "running"
    found = state(home, before="from soclocal.crime.imports import recover_stopped\n"
                               "recover_stopped()\n")
    status, notes = found["imports"][-1]
    assert status == "done" and found["audit_ok"]
    assert "the saving was finished when the store was next opened" in notes[0]


def test_a_geography_import_killed_mid_way_writes_nothing(home):
    run = soclocal(home, "import", "lookups", LOOKUPS, SOCLOCAL_KILL_AT="import.progress:2")
    assert run.returncode == -signal.SIGKILL
    found = state(home)
    assert found["lookups"] == 0 and found["audit_ok"]


def test_a_participatory_budget_count_killed_mid_way_writes_nothing(home):
    run = soclocal(home, "pb", "import", PB, SOCLOCAL_KILL_AT="import.progress:20")
    assert run.returncode == -signal.SIGKILL
    found = state(home)
    assert found["budgets"] == [0, 0, 0] and found["audit_ok"]


def wait_to_be_killed(actor, *, progress, marker):
    """A job that starts, says so, and then waits for the test to kill its worker; started
    again, it finishes."""
    if Path(marker).exists():
        Path(marker).write_text("finished")
        return {"finished": True}
    progress(1, 10, "started")
    Path(marker).write_text("started")
    while True:
        time.sleep(0.05)


def test_a_worker_killed_mid_job_leaves_it_marked_and_it_can_be_started_again(home, tmp_path):
    marker = tmp_path / "marker"
    python(home, f"""
from soclocal.accounts import services
from soclocal.accounts.models import Agency
from soclocal.core import jobs
from soclocal.core.access import Role
services.get_or_create_partnership("Faults")
agency = services.create_agency(None, name="Faults Agency", kind=Agency.Kind.POLICE)
user, _ = services.create_account(None, username="faults", first_name="F", last_name="T",
    email="", agency=agency, team=None, roles=[Role.ANALYST], password="x-faults-password-1")
jobs.start(user, "test", "Waiting", "tests.core.test_faults.wait_to_be_killed",
           marker={str(marker)!r})
""")
    worker = subprocess.Popen([SOCLOCAL, "worker"], env=environment(home),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    while worker.poll() is None and not marker.exists():
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert marker.read_text() == "started"
    # The next worker to start marks it: failed, saying why, and able to start again. Its
    # owner starts it again, and it runs to the end.
    restarted = soclocal(home, "worker", "--once")
    assert restarted.returncode == 0 and "stopped with its worker" in restarted.stderr
    found = state(home, before="""
from soclocal.core import jobs
from soclocal.core.models import Job
job = Job.objects.get()
assert jobs.can_retry(job)
jobs.retry(job.owner, job)
""")
    [status, errors], [again, _] = found["jobs"]
    assert status == "failed" and "stopped before it finished" in errors[0]
    assert again == "queued"
    assert soclocal(home, "worker", "--once").returncode == 0
    found = state(home)
    assert [status for status, _errors in found["jobs"]] == ["failed", "done"]
    assert marker.read_text() == "finished" and found["audit_ok"]
