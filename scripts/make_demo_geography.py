"""Cut the demo geography out of the shared open data: Nottingham and Nottinghamshire.

    python scripts/make_demo_geography.py ../shared/data [src/soclocal/areas/demo_data]

Keeps the rows and features for Nottingham City and Nottinghamshire's seven districts, and
the Nottinghamshire police force area, in the same formats as the published files (same
columns, encoding, BOM and line endings; values unchanged), so the same importers load them.
"""

import csv
import io
import json
import sys
from pathlib import Path

AUTHORITIES = {
    "E06000018",  # Nottingham
    "E07000170", "E07000171", "E07000172", "E07000173",  # Ashfield, Bassetlaw, Broxtowe, Gedling
    "E07000174", "E07000175", "E07000176",  # Mansfield, Newark and Sherwood, Rushcliffe
}
FORCE = "E23000019"  # Nottinghamshire


def filter_csv(source: Path, target: Path, column: str, keep) -> int:
    """Copy the header and the lines whose `column` is in `keep`, byte for byte."""
    lines = source.read_bytes().splitlines(keepends=True)
    header = next(csv.reader(io.StringIO(lines[0].decode("utf-8-sig"))))
    at = header.index(column)
    kept = [lines[0]]
    for line in lines[1:]:
        values = next(csv.reader(io.StringIO(line.decode("utf-8"))), [])
        if len(values) > at and values[at] in keep:
            kept.append(line)
    target.write_bytes(b"".join(kept))
    return len(kept) - 1


def filter_geojson(source: Path, target: Path, prop: str, keep) -> int:
    data = json.loads(source.read_text(encoding="utf-8"))
    data["features"] = [f for f in data["features"] if f["properties"][prop] in keep]
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return len(data["features"])


def codes(source: Path, column: str, where: str, keep) -> set[str]:
    with open(source, encoding="utf-8-sig", newline="") as f:
        return {row[column] for row in csv.DictReader(f) if row[where] in keep}


def main(data_dir: str, out_dir: str = "src/soclocal/areas/demo_data"):
    data, out = Path(data_dir), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ward_lookup = data / "lookups/lsoa21_ward24_ltla24.csv"
    lsoa_lookup = data / "lookups/lsoa11_lsoa21_ltla22.csv"
    lsoa21 = codes(ward_lookup, "lsoa21_code", "ltla24_code", AUTHORITIES)
    lsoa11 = codes(lsoa_lookup, "lsoa11_code", "lsoa21_code", lsoa21)
    jobs = [
        (filter_geojson, "boundaries/lsoa21.geojson", "lsoa21_code", lsoa21),
        (filter_geojson, "boundaries/ltla24.geojson", "ltla24_code", AUTHORITIES),
        (filter_geojson, "boundaries/pfa20.geojson", "pfa20_code", {FORCE}),
        (filter_csv, "lookups/lsoa21_ward24_ltla24.csv", "lsoa21_code", lsoa21),
        (filter_csv, "lookups/lsoa11_lsoa21_ltla22.csv", "lsoa11_code", lsoa11),
        (filter_csv, "deprivation/imd2025_england_lsoa21.csv", "lsoa21_code", lsoa21),
        (filter_csv, "deprivation/imd2019_england_lsoa11.csv", "lsoa11_code", lsoa11),
        (filter_csv, "deprivation/iod2019_population_denominators_lsoa11.csv",
         "LSOA code (2011)", lsoa11),
    ]
    for cut, name, column, keep in jobs:
        n = cut(data / name, out / Path(name).name, column, keep)
        print(f"{Path(name).name}: {n}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(*sys.argv[1:])
