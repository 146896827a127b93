import csv
import shutil
import zipfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crime"
NOTTS_JAN = FIXTURES / "2023-01-nottinghamshire-street.csv"
NOTTS_FEB = FIXTURES / "2023-02-nottinghamshire-street.csv"
LONDON_JAN = FIXTURES / "2021-01-city-of-london-street.csv"
# Synthetic rows in police.uk's published format, made from NOTTS_JAN by
# tests/fixtures/crime/make_outcomes_and_searches.py.
NOTTS_OUTCOMES = FIXTURES / "2023-01-nottinghamshire-outcomes.csv"
NOTTS_SEARCHES = FIXTURES / "2023-01-nottinghamshire-stop-and-search.csv"


@pytest.fixture
def data_dir(settings, tmp_path):
    """A data directory of the test's own, so the crime store starts empty."""
    settings.DATA_DIR = tmp_path / "var"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


@pytest.fixture
def work(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


@pytest.fixture
def lookup(db):
    """The ONS lookup rows for two 2011 LSOAs the real Nottinghamshire files still use."""
    from soclocal.areas.models import LsoaLookup

    rows = [("E01033406", "Nottingham 039E", "E01035506", "Nottingham 039G", "M"),
            ("E01027931", "Ashfield 013B", "E01033778", "Ashfield 013F", "S"),
            ("E01027931", "Ashfield 013B", "E01033779", "Ashfield 013G", "S"),
            ("E01027931", "Ashfield 013B", "E01033781", "Ashfield 013H", "S")]
    for old, old_name, new, new_name, change in rows:
        LsoaLookup.objects.create(lsoa11_code=old, lsoa11_name=old_name, lsoa21_code=new,
                                  lsoa21_name=new_name, change=change, lad22_code="E07000170",
                                  lad22_name="Ashfield")


def make_archive(path: Path, files) -> Path:
    """A police.uk-style archive: a folder per month holding that month's files."""
    with zipfile.ZipFile(path, "w") as z:
        for f in files:
            z.write(f, f"{f.name[:7]}/{f.name}")
    return path


def stored_rows(kind):
    """Every row the store holds of one kind, in order, without the import's id."""
    from soclocal.crime import store

    con = store.connect()
    try:
        columns = ", ".join(c for c, _ in store.COLUMNS[kind] if c != "import_id")
        return con.execute(f"SELECT {columns} FROM {kind} ORDER BY ALL").fetchall()
    finally:
        con.close()


def copy(src: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or src.name)
    shutil.copyfile(src, target)
    return target


def csv_rows(path: Path) -> list[dict]:
    """The file's rows as the csv module reads them: an independent count of the data."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def data_lines(path: Path) -> int:
    return sum(1 for line in path.read_bytes().splitlines() if line.strip()) - 1


def snapshot(data_dir: Path) -> dict:
    """Every file in the crime store (not rejects) with its bytes."""
    root = data_dir / "crime"
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.parts[len(root.parts)] in ("street", "outcomes", "stop_search")}
