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

and, for placing crimes in LSOAs (`crime/geography.py`, which reads them without Django):

    geography/lsoa-codes-<stamp>.parquet       code, lsoa21: every LSOA 2021 code to itself
                                               and each 2011 code that is not one to each of
                                               its successors
    geography/lsoa-boundaries-<stamp>.parquet  code, wkb: each LSOA 2021 boundary (WKB)
"""

import os
import uuid
from pathlib import Path

AREAS = ("areas", "members")
LSOAS = ("lsoa-codes", "lsoa-boundaries")


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
    from django.conf import settings

    return Path(settings.DATA_DIR) / "geography"


def paths() -> tuple[Path, Path]:
    """The (areas, members) Parquet files of the current geography, written first if they
    are not there yet."""
    return _current(AREAS, write)


def lsoa_paths() -> tuple[Path, Path]:
    """The (lsoa-codes, lsoa-boundaries) Parquet files of the current geography, written
    first if they are not there yet."""
    return _current(LSOAS, _write_lsoas)


def refresh():
    """Write the snapshot for the current geography now (after an import), so the next
    profile or crime import does not wait for it."""
    paths()
    lsoa_paths()


def newest(where: Path, names=LSOAS) -> tuple[Path, ...] | None:
    """The files of the newest stamp in the folder `where` that has all of `names`, or
    None: for work that starts before Django can say which stamp is current."""
    found = []
    for first in where.glob(f"{names[0]}-*.parquet"):
        stamp = first.name[len(names[0]) + 1:-len(".parquet")]
        files = _files(where, stamp, names)
        if all(f.exists() for f in files):
            found.append((first.stat().st_mtime_ns, files))
    return max(found)[1] if found else None


def _current(names, writer) -> tuple[Path, ...]:
    stamp = current_stamp()
    found = _files(folder(), stamp, names)
    if not all(p.exists() for p in found):
        writer(stamp)
    return found


def _files(where: Path, stamp: str, names) -> tuple[Path, ...]:
    return tuple(where / f"{name}-{stamp}.parquet" for name in names)


def _write_lsoas(stamp: str):
    """Write the LSOA codes and boundaries a crime import places rows with."""
    import numpy as np
    import pyarrow as pa
    import shapely

    from .models import Area, AreaType, LsoaLookup

    current = set(Area.objects.filter(type=AreaType.LSOA21).values_list("code", flat=True))
    current |= set(LsoaLookup.objects.values_list("lsoa21_code", flat=True).distinct())
    pairs = sorted({(c, c) for c in current} | {
        (old, new) for old, new in LsoaLookup.objects.values_list("lsoa11_code", "lsoa21_code")
        if old not in current})
    codes = pa.table({"code": pa.array([c for c, _ in pairs], pa.string()),
                      "lsoa21": pa.array([n for _, n in pairs], pa.string())})
    shapes = list(Area.objects.filter(type=AreaType.LSOA21).exclude(geometry__isnull=True)
                  .exclude(geometry="").order_by("code").values_list("code", "geometry"))
    # A boundary that cannot be read places nothing (its crimes keep the code's first
    # successor), as it is not the crime import's to mend.
    found = shapely.from_geojson(np.array([g for _, g in shapes], dtype=object),
                                 on_invalid="ignore") if shapes else []
    kept = [(code, shape) for (code, _), shape in zip(shapes, found, strict=True)
            if shape is not None]
    boundaries = pa.table({
        "code": pa.array([c for c, _ in kept], pa.string()),
        "wkb": pa.array(list(shapely.to_wkb([s for _, s in kept])) if kept else [],
                        pa.binary())})
    _write_files(stamp, zip((codes, boundaries), _files(folder(), stamp, LSOAS), strict=True))


def _write_files(stamp: str, tables) -> None:
    """Each table to its file (to a temporary name, then renamed into place); then remove
    the snapshots of earlier stamps."""
    import pyarrow.parquet as pq

    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    for table, path in tables:
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        pq.write_table(table, partial)
        os.replace(partial, path)
    for old in target.glob("*.parquet"):
        if not old.name.endswith(f"-{stamp}.parquet"):
            old.unlink(missing_ok=True)


def write(stamp: str):
    """Write the areas and members files."""
    import pyarrow as pa

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
    _write_files(stamp, zip((areas, members), _files(folder(), stamp, AREAS), strict=True))
