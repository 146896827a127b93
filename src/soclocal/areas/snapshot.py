"""The geography as analytics engines read it: a Parquet snapshot in the data directory.

Profiles and the national summary join crime to areas in SQL (DuckDB, or Spark over the same
files), so they need the geography outside the application database: every area with its
place (ward, local authority, force area), population and reading in its own deprivation
index, and which small areas make up each neighbourhood. The snapshot is written when an
import changes the geography and is rebuilt whenever the database's geography stamp
(`GeographyVersion`) differs from the one it was written from, so it is never stale.

    geography/areas-<stamp>.parquet     id, type, code, name, population, ward_id, lad_id,
                                        pfa_id, deprivation_index, decile, score
    geography/members-<stamp>.parquet   neighbourhood_id, member_id
"""

import os
import uuid
from pathlib import Path

from django.conf import settings


def on_change(sender=None, **kwargs):
    """Signal handler: the geography changed."""
    if kwargs.get("action", "post_").startswith("post_"):
        changed()


def changed() -> str:
    """Give the geography a new stamp; the next read rebuilds the snapshot."""
    from .models import GeographyVersion

    stamp = uuid.uuid4().hex
    if not GeographyVersion.objects.filter(pk=1).update(stamp=stamp):
        GeographyVersion.objects.create(pk=1, stamp=stamp)
    return stamp


def current_stamp() -> str:
    from .models import GeographyVersion

    stamp = GeographyVersion.objects.filter(pk=1).values_list("stamp", flat=True).first()
    return stamp or changed()


def folder() -> Path:
    return Path(settings.DATA_DIR) / "geography"


def paths() -> tuple[Path, Path]:
    """The (areas, members) Parquet files of the current geography, written first if they
    are not there yet."""
    stamp = current_stamp()
    found = _paths(stamp)
    if not all(p.exists() for p in found):
        write(stamp)
    return found


def refresh():
    """Write the snapshot for the current geography now (after an import), so the next
    profile does not wait for it."""
    paths()


def _paths(stamp):
    return folder() / f"areas-{stamp}.parquet", folder() / f"members-{stamp}.parquet"


def write(stamp: str):
    """Write both files (each to a temporary name, then renamed into place) and remove the
    snapshots of earlier stamps."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .models import Area, Deprivation, Neighbourhood
    from .selectors import primary_index

    rows = list(Area.objects.order_by("id").values_list(
        "id", "type", "code", "name", "population", "ward_id", "lad_id", "pfa_id"))
    readings = {(a, i): (d, s) for a, i, d, s in
                Deprivation.objects.values_list("area_id", "index", "decile", "score")}
    probe = Area()
    index_of = []
    for _id, kind, code, *_rest in rows:
        probe.type, probe.code = kind, code
        index_of.append(primary_index(probe))
    reading = [readings.get((r[0], i), (None, None)) for r, i in zip(rows, index_of, strict=True)]
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in range(8)]
    int64, text = pa.int64(), pa.string()
    areas = pa.table({
        "id": pa.array(columns[0], int64), "type": pa.array(columns[1], text),
        "code": pa.array(columns[2], text), "name": pa.array(columns[3], text),
        "population": pa.array(columns[4], int64), "ward_id": pa.array(columns[5], int64),
        "lad_id": pa.array(columns[6], int64), "pfa_id": pa.array(columns[7], int64),
        "deprivation_index": pa.array(index_of, text),
        "decile": pa.array([d for d, _s in reading], int64),
        "score": pa.array([s for _d, s in reading], pa.float64()),
    })
    links = list(Neighbourhood.members.through.objects.values_list(
        "neighbourhood__area_id", "area_id"))
    members = pa.table({"neighbourhood_id": pa.array([h for h, _m in links], int64),
                        "member_id": pa.array([m for _h, m in links], int64)})
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    for table, path in zip((areas, members), _paths(stamp), strict=True):
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        pq.write_table(table, partial)
        os.replace(partial, path)
    keep = {p.name for p in _paths(stamp)}
    for old in target.glob("*.parquet"):
        if old.name not in keep:
            old.unlink(missing_ok=True)
