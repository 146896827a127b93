from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "profiles"
MONTHS = ("2023-11", "2023-12", "2024-11", "2024-12")


def fixture_csvs():
    return sorted(FIXTURES.glob("*-street.csv"))


def write_store(base: Path, paths=None):
    """The crime store's street partitions, written from police.uk CSVs with DuckDB in the
    store's layout and columns (2023 and later files carry 2021 LSOA codes already)."""
    import duckdb

    con = duckdb.connect(":memory:")
    for number, path in enumerate(paths or fixture_csvs(), start=1):
        month = path.name[:7]
        out = base / "crime" / "street" / "force=nottinghamshire" / f"month={month}"
        out.mkdir(parents=True, exist_ok=True)
        con.execute(f"""
            COPY (
              SELECT "Crime ID" AS crime_id, "Reported by" AS reported_by,
                     "Falls within" AS falls_within,
                     CAST("Longitude" AS DOUBLE) AS longitude,
                     CAST("Latitude" AS DOUBLE) AS latitude, "Location" AS location,
                     "LSOA code" AS lsoa_code, "LSOA code" AS lsoa21_code,
                     "LSOA name" AS lsoa_name, "Crime type" AS crime_type,
                     "Last outcome category" AS last_outcome_category, "Context" AS context,
                     '{path.name}' AS source_file,
                     CAST(row_number() OVER () + 1 AS INTEGER) AS source_line,
                     CAST({number} AS BIGINT) AS import_id
              FROM read_csv('{path}', header = true, all_varchar = true)
            ) TO '{out / "data.parquet"}' (FORMAT parquet)
        """)


@pytest.fixture
def crime_store(settings, tmp_path):
    """The fixture months of Nottinghamshire street crime in a store of their own."""
    settings.DATA_DIR = tmp_path
    write_store(tmp_path)
    return tmp_path


@pytest.fixture
def geography(db):
    from soclocal.areas.demo import load_demo_geography

    load_demo_geography()
