"""Backups that can be taken while the system runs, and restores that check what they restore.

A backup is one `.tar.gz` file holding:

  database.sqlite3 or database.dump   the database (SQLite's online backup API, or pg_dump's
                                      custom format from one snapshot)
  crime/                              the crime store's Parquet files (copied holding the store's
                                      import lock, so no month is half swapped)
  files/                              uploaded files
  secret_key                          the data directory's key file, when there is one
  manifest.json                       the SHA-256 of every file above, the database engine and
                                      the audit chain's head (sequence and hash) in the copy

Profile versions are rows of the database. `restore` checks every checksum before writing
anything, then restores and recomputes the audit chain of what it restored, which must verify
and end at the head the manifest names.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import nullcontext
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SKIP = {".lock", ".staging", "uploads"}  # the crime store's working files, not data


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def engine_of(settings_dict) -> str:
    return "sqlite" if settings_dict["ENGINE"].endswith("sqlite3") else "postgresql"


def _pg_env(settings_dict) -> dict:
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                     ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def pg_tools_available() -> bool:
    return bool(shutil.which("pg_dump") and shutil.which("pg_restore"))


def _dump_sqlite(dest: Path) -> dict:
    connection.ensure_connection()
    target = sqlite3.connect(dest)
    try:
        connection.connection.backup(target)  # one consistent copy, writers carry on
    finally:
        target.close()
    copy = sqlite3.connect(dest)
    try:
        row = copy.execute("select seq, hash from core_audithead where id = 1").fetchone()
    finally:
        copy.close()
    return {"seq": row[0], "hash": row[1]} if row else {"seq": 0, "hash": ""}


def _dump_postgres(dest: Path) -> dict:
    import psycopg

    if not pg_tools_available():
        raise BackupError("pg_dump is not installed on this machine: install the PostgreSQL "
                          "client tools of the server's version.")
    params = connection.settings_dict
    with psycopg.connect(dbname=params["NAME"], user=params.get("USER") or None,
                         password=params.get("PASSWORD") or None,
                         host=params.get("HOST") or None, port=params.get("PORT") or None) as db:
        # The head is read in the very snapshot pg_dump then copies.
        db.execute("begin isolation level repeatable read read only")
        snapshot = db.execute("select pg_export_snapshot()").fetchone()[0]
        row = db.execute("select seq, hash from core_audithead where id = 1").fetchone()
        result = subprocess.run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--no-owner",
             f"--file={dest}"], env=_pg_env(params), capture_output=True, text=True)
        db.execute("commit")
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return {"seq": row[0], "hash": row[1]} if row else {"seq": 0, "hash": ""}


def _tree(root: Path, prefix: str):
    """(path, name in the archive) for every file under root, working files left out."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP)
        for name in sorted(filenames):
            if name in SKIP:
                continue
            path = Path(dirpath) / name
            yield path, str(PurePosixPath(prefix, path.relative_to(root).as_posix()))


def backup(out, *, progress=None) -> dict:
    """Write a backup to `out` (written beside it first, then renamed). Returns the manifest."""
    from soclocal.crime import store

    out = Path(out)
    data_dir = Path(settings.DATA_DIR)
    engine = engine_of(connection.settings_dict)
    manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "engine": engine,
                "files": {}}
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        db_name = "database.sqlite3" if engine == "sqlite" else "database.dump"
        db_path = Path(tmp) / db_name
        manifest["audit_head"] = (_dump_sqlite if engine == "sqlite" else _dump_postgres)(db_path)
        manifest["database"] = db_name
        with tarfile.open(partial, "w:gz") as tar:
            def add(path, name):
                manifest["files"][name] = _sha256(path)
                tar.add(path, arcname=name, recursive=False)

            add(db_path, db_name)
            if (data_dir / "secret_key").is_file():
                add(data_dir / "secret_key", "secret_key")
            crime = data_dir / "crime"
            with store.lock() if crime.is_dir() else nullcontext():
                for path, name in _tree(crime, "crime"):
                    add(path, name)
            for path, name in _tree(data_dir / "files", "files"):
                add(path, name)
            blob = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(blob)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(blob))
    partial.replace(out)
    return manifest


def read_manifest(archive) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            return json.loads(member.read())
    except (KeyError, tarfile.TarError, OSError, ValueError) as e:
        raise BackupError(f"{archive} is not a soclocal backup (no readable manifest: {e}).") \
            from None


def check(archive) -> dict:
    """Every file's checksum against the manifest; nothing missing, nothing extra."""
    manifest = read_manifest(archive)
    expected = dict(manifest["files"])
    problems = []
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            if member.name == MANIFEST:
                continue
            name = PurePosixPath(member.name)
            if name.is_absolute() or ".." in name.parts or not member.isfile():
                problems.append(f"{member.name}: not a plain file inside the backup")
                continue
            digest = hashlib.sha256()
            f = tar.extractfile(member)
            while block := f.read(1 << 20):
                digest.update(block)
            want = expected.pop(member.name, None)
            if want is None:
                problems.append(f"{member.name}: not in the manifest")
            elif digest.hexdigest() != want:
                problems.append(f"{member.name}: checksum does not match the manifest")
    problems += [f"{name}: missing from the backup" for name in sorted(expected)]
    if problems:
        raise BackupError("The backup is damaged; nothing was restored:\n  " +
                          "\n  ".join(problems[:50]))
    return manifest


def restore(archive, *, data_dir=None, database=None, replace=False) -> dict:
    """Restore a backup into a data directory (default: this installation's) and, on
    PostgreSQL, into `database` (a settings dict; default: this installation's database).
    Returns {"events": n, "head": hash} once the restored audit chain has verified."""
    manifest = check(archive)
    data_dir = Path(data_dir or settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    target = dict(database or connections["default"].settings_dict)
    if manifest["engine"] == "sqlite":
        target = {**target, "ENGINE": "django.db.backends.sqlite3",
                  "NAME": str(data_dir / "soclocal.sqlite3")}
        if database is None and engine_of(connections["default"].settings_dict) != "sqlite":
            raise BackupError("The backup holds a SQLite database but DATABASE_URL names a "
                              "PostgreSQL one: unset DATABASE_URL to restore it.")
        if Path(target["NAME"]).exists() and not replace:
            raise BackupError(f"{target['NAME']} already exists: restore into a new data "
                              "directory (--data-dir), or give --replace to overwrite it.")
    elif engine_of(target) != "postgresql":
        raise BackupError("The backup holds a PostgreSQL database: set DATABASE_URL to the "
                          "PostgreSQL database to restore it into.")
    elif not pg_tools_available():
        raise BackupError("pg_restore is not installed on this machine.")
    with tempfile.TemporaryDirectory(dir=data_dir) as tmp:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
        tmp = Path(tmp)
        if manifest["engine"] == "sqlite":
            db = Path(target["NAME"])
            for suffix in ("-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
            shutil.move(tmp / manifest["database"], db)
        else:
            _restore_postgres(tmp / manifest["database"], target, replace)
        for folder in ("crime", "files"):
            if (tmp / folder).is_dir():
                if (data_dir / folder).exists():
                    if not replace and any((data_dir / folder).iterdir()):
                        raise BackupError(f"{data_dir / folder} is not empty: restore into a "
                                          "new data directory, or give --replace.")
                    shutil.rmtree(data_dir / folder)
                shutil.move(tmp / folder, data_dir / folder)
        if (tmp / "secret_key").is_file():  # the key belongs with the data it signed
            shutil.move(tmp / "secret_key", data_dir / "secret_key")
            (data_dir / "secret_key").chmod(0o600)
    return verify_restored(target, manifest)


def _restore_postgres(dump: Path, target: dict, replace: bool):
    import psycopg

    with psycopg.connect(dbname=target["NAME"], user=target.get("USER") or None,
                         password=target.get("PASSWORD") or None,
                         host=target.get("HOST") or None, port=target.get("PORT") or None) as db:
        tables = db.execute("select count(*) from information_schema.tables "
                            "where table_schema = 'public'").fetchone()[0]
    if tables and not replace:
        raise BackupError(f"The database {target['NAME']} already holds tables: restore into "
                          "an empty database, or give --replace to overwrite it.")
    result = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner",
                             "--single-transaction", f"--dbname={target['NAME']}", str(dump)],
                            env=_pg_env(target), capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


COLUMNS = ("id", "seq", "at", "actor_id", "actor", "agency_id", "agency", "action", "object_type",
           "object_id", "purpose", "ip_address", "detail", "prev_hash", "hash")


def _restored_chain(target: dict):
    """The restored database's audit events and head, read directly (not through this
    installation's own database connection)."""
    import datetime as dt

    from django.utils.dateparse import parse_datetime

    from .models import AuditEvent

    select = f"select {', '.join(COLUMNS)} from core_auditevent order by seq"
    if engine_of(target) == "sqlite":
        db = sqlite3.connect(target["NAME"])
        rows = db.execute(select).fetchall()
        head = db.execute("select seq from core_audithead where id = 1").fetchone()
        db.close()
    else:
        import psycopg

        with psycopg.connect(dbname=target["NAME"], user=target.get("USER") or None,
                             password=target.get("PASSWORD") or None,
                             host=target.get("HOST") or None,
                             port=target.get("PORT") or None) as db:
            rows = db.execute(select).fetchall()
            head = db.execute("select seq from core_audithead where id = 1").fetchone()

    def event(row):
        fields = dict(zip(COLUMNS, row, strict=True))
        at = fields["at"]
        if isinstance(at, str):
            at = parse_datetime(at)
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.UTC)
        fields["at"] = at.astimezone(dt.UTC)
        if isinstance(fields["detail"], str):
            fields["detail"] = json.loads(fields["detail"])
        return AuditEvent(**fields)

    return (event(r) for r in rows), (head[0] if head else None)


def verify_restored(target: dict, manifest: dict) -> dict:
    from . import audit

    events, head_seq = _restored_chain(target)
    result = audit.verify_chain(events, head_seq)
    head = manifest.get("audit_head") or {}
    if not result.ok:
        raise BackupError(f"The restored audit chain does not verify: {result.reason} "
                          f"(event #{result.broken_seq}).")
    if result.count != head.get("seq", 0) or (head.get("hash") and
                                              result.head_hash != head["hash"]):
        raise BackupError(f"The restored audit chain ends at event #{result.count} "
                          f"({result.head_hash[:12]}), not at the head the manifest names "
                          f"(#{head.get('seq')}, {str(head.get('hash'))[:12]}).")
    return {"events": result.count, "head": result.head_hash}
