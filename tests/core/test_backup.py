"""Backups taken while the system runs, restored into a new data directory: the checksums and
the audit chain's head are checked, and the restored system holds the same records."""

import json
import os
import tarfile
import uuid
from pathlib import Path

import pytest
from django.db import connection

from soclocal.cli import main
from soclocal.core import audit, backup
from soclocal.core.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data_dir(settings, tmp_path):
    """A data directory with a crime store partition and an uploaded file."""
    root = tmp_path / "var"
    partition = root / "crime" / "street" / "force=test" / "month=2025-01"
    partition.mkdir(parents=True)
    (partition / "data.parquet").write_bytes(b"PAR1 not really parquet PAR1")
    (root / "crime" / ".lock").write_text("")
    (root / "secret_key").write_text("the-key-of-this-installation")
    (root / "files" / "engagement" / "audio").mkdir(parents=True)
    (root / "files" / "engagement" / "audio" / "story.mp3").write_bytes(os.urandom(2048))
    settings.DATA_DIR = root
    settings.MEDIA_ROOT = root / "files"
    return root


def records():
    for n in range(3):
        audit.record("test.thing", object_type="test.record", object_id=str(n),
                     detail={"n": n})


def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip; PostgreSQL has its own test")


def test_backup_and_restore_round_trip_on_sqlite(data_dir, tmp_path, capsys):
    sqlite_only()
    records()
    out = tmp_path / "backup.tar.gz"
    assert main(["backup", "--out", str(out)]) == 0
    manifest = backup.read_manifest(out)
    head = AuditEvent.objects.filter(action="test.thing").order_by("-seq").first()
    assert manifest["audit_head"] == {"seq": head.seq, "hash": head.hash}  # before "taken"
    assert set(manifest["files"]) == {"database.sqlite3", "secret_key", "crime/street/force=test/"
                                      "month=2025-01/data.parquet",
                                      "files/engagement/audio/story.mp3"}
    target = tmp_path / "restored"
    target.mkdir()
    (target / "secret_key").write_text("a key made when the settings first read this folder")
    assert main(["restore", str(out), "--data-dir", str(target)]) == 0
    assert "audit chain of" in capsys.readouterr().out
    for name in manifest["files"]:
        if name != "database.sqlite3":
            assert (target / name).read_bytes() == (data_dir / name).read_bytes()
    assert not (target / "crime" / ".lock").exists()
    events, head_seq = backup._restored_chain({**connection.settings_dict,
                                               "NAME": str(target / "soclocal.sqlite3")})
    events = list(events)
    assert audit.verify_chain(events, head_seq).ok
    assert [(e.object_id, e.hash) for e in events if e.action == "test.thing"] == list(
        AuditEvent.objects.filter(action="test.thing").values_list("object_id", "hash"))


def test_a_restore_does_not_overwrite_a_database_unless_told(data_dir, tmp_path, capsys):
    sqlite_only()
    out = tmp_path / "backup.tar.gz"
    backup.backup(out)
    target = tmp_path / "restored"
    backup.restore(out, data_dir=target)
    assert main(["restore", str(out), "--data-dir", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["restore", str(out), "--data-dir", str(target), "--replace"]) == 0


def _rewrite(archive, change):
    """A copy of the backup with one member changed by `change(name, bytes) -> bytes`."""
    damaged = archive.with_name("damaged.tar.gz")
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    return damaged


def test_a_damaged_backup_is_refused_before_anything_is_written(data_dir, tmp_path, capsys):
    sqlite_only()
    out = tmp_path / "backup.tar.gz"
    backup.backup(out)
    damaged = _rewrite(out, lambda name, data: data + b"x" if name.startswith("files/") else data)
    target = tmp_path / "restored"
    assert main(["restore", str(damaged), "--data-dir", str(target)]) == 1
    err = capsys.readouterr().err
    assert "files/engagement/audio/story.mp3: checksum does not match the manifest" in err
    assert not (target / "soclocal.sqlite3").exists()


def test_a_manifest_naming_another_audit_head_fails_the_restore(data_dir, tmp_path, capsys):
    sqlite_only()
    records()
    out = tmp_path / "backup.tar.gz"
    backup.backup(out)

    def forge(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["audit_head"]["seq"] += 1
        return json.dumps(manifest).encode()

    target = tmp_path / "restored"
    assert main(["restore", str(_rewrite(out, forge)), "--data-dir", str(target)]) == 1
    assert "not at the head the manifest names" in capsys.readouterr().err


def test_a_file_that_is_not_a_backup_is_named(db, tmp_path, capsys):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a backup")
    assert main(["restore", str(junk), "--data-dir", str(tmp_path / "r")]) == 1
    assert "is not a soclocal backup" in capsys.readouterr().err


def test_backup_and_restore_round_trip_on_postgresql(data_dir, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (DATABASE_URL)")
    if not backup.pg_tools_available():
        pytest.skip("pg_dump and pg_restore are not installed")
    import psycopg

    records()
    out = tmp_path / "backup.tar.gz"
    try:
        manifest = backup.backup(out)
    except backup.BackupError as e:
        if "server version mismatch" in str(e):
            pytest.skip(f"pg_dump cannot dump this server: {e}")
        raise
    assert manifest["engine"] == "postgresql" and manifest["database"] == "database.dump"
    params = connection.settings_dict
    name = f"soclocal_restore_{uuid.uuid4().hex[:8]}"
    admin = dict(dbname="postgres", user=params["USER"], password=params["PASSWORD"],
                 host=params["HOST"] or None, port=params["PORT"] or None, autocommit=True)
    with psycopg.connect(**admin) as db:
        db.execute(f'create database "{name}"')
    try:
        result = backup.restore(out, data_dir=tmp_path / "restored",
                                database={**params, "NAME": name})
        assert result["events"] == manifest["audit_head"]["seq"]
        assert Path(tmp_path / "restored" / "files" / "engagement" / "audio" /
                    "story.mp3").read_bytes() == (data_dir / "files" / "engagement" / "audio" /
                                                  "story.mp3").read_bytes()
        with psycopg.connect(**{**admin, "dbname": name}) as db:
            count = db.execute("select count(*) from core_auditevent where action = "
                               "'test.thing'").fetchone()[0]
        assert count == 3
    finally:
        with psycopg.connect(**admin) as db:
            db.execute(f'drop database if exists "{name}" with (force)')
