"""The command line on a data directory that was never set up says what to do."""

import os
import subprocess
import sys


def run(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SOCLOCAL_DATA_DIR"] = str(tmp_path)
    return subprocess.run([sys.executable, "-m", "soclocal.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_command_before_init_asks_for_init_without_a_traceback(tmp_path):
    done = run(tmp_path, "users", "--format", "json")
    assert done.returncode == 1
    assert "run `soclocal init` first" in done.stderr and "Traceback" not in done.stderr


def test_allocating_a_pb_file_needs_no_database(tmp_path):
    pb = os.path.join(os.path.dirname(__file__), "..", "fixtures", "pb",
                      "Netherlands_Assen_2024.pb")
    done = run(tmp_path, "pb", "allocate", pb, "--rule", "greedy")
    assert done.returncode == 0 and done.stdout.split()


def test_a_database_missing_one_migration_is_not_taken_as_ready(db):
    """The quick start-up check (migration file names against the record) never says ready
    when a migration is not applied; with every one applied, the command runs."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from soclocal.cli import _database_ready, _every_migration_recorded

    assert _every_migration_recorded(connection) and _database_ready()
    recorder = MigrationRecorder(connection)
    last = recorder.migration_qs.filter(app="crime").order_by("-name").first()
    recorder.record_unapplied(last.app, last.name)
    assert not _every_migration_recorded(connection)
    assert not _database_ready()


def test_a_command_run_as_a_process_gives_all_its_output_and_its_exit_code(tmp_path):
    """The command ends its process at once when done (`cli.run`): what it printed, to a
    pipe, is all there, and the exit code is the command's."""
    from tests.crime.conftest import NOTTS_JAN, data_lines

    assert run(tmp_path, "init").returncode == 0
    done = run(tmp_path, "import", "crime", str(NOTTS_JAN))  # read ahead while Django starts
    assert done.returncode == 0, done.stderr
    assert f"\nImported {data_lines(NOTTS_JAN):,} rows (import 1).\n" in done.stdout
    assert done.stdout.endswith("without an LSOA 2021 code.\n")  # no geography loaded
    failed = run(tmp_path, "import", "crime", str(tmp_path / "missing.csv"))
    assert failed.returncode == 1
    assert failed.stderr.rstrip().endswith("import-2-rejects.csv")
