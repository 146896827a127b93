"""The demo geography: Nottingham and Nottinghamshire, loaded with the ordinary importers."""

from pathlib import Path

from django.db import transaction

from .imports import run_import
from .models import Area, AreaType, Neighbourhood
from .services import create_neighbourhood, update_neighbourhood

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"

# In the order they depend on each other: the 2011-2021 lookup before the 2011 populations.
DEMO_FILES = [
    ("boundaries", "ltla24.geojson"),
    ("boundaries", "pfa20.geojson"),
    ("boundaries", "lsoa21.geojson"),
    ("lookups", "lsoa11_lsoa21_ltla22.csv"),
    ("lookups", "lsoa21_ward24_ltla24.csv"),
    ("deprivation", "imd2025_england_lsoa21.csv"),
    ("deprivation", "imd2019_england_lsoa11.csv"),
    ("population", "iod2019_population_denominators_lsoa11.csv"),
]

# Example neighbourhoods, made of whole 2024 wards' LSOAs.
DEMO_NEIGHBOURHOODS = [
    ("St Ann's and Sneinton", "The St Ann's estate and Sneinton, east of the city centre "
     "(the St. Ann's and Dales wards).", ["E05012287", "E05012280"]),
    ("Bulwell", "Bulwell town and Bulwell Forest, in the north of the city.",
     ["E05012275", "E05012276"]),
]


def load_demo_geography(progress=None, *, owning_agency=None, actor=None):
    """Import the demo files (safe to run again) and, given an agency to own them, the
    example neighbourhoods. Returns the import results."""
    results = []
    for number, (kind, name) in enumerate(DEMO_FILES, start=1):
        step = _step(progress, number, len(DEMO_FILES), name)
        results.append(run_import(kind, DEMO_DATA / name, progress=step, actor=actor))
    if owning_agency is not None:
        _demo_neighbourhoods(owning_agency, actor)
    return results


def _step(progress, number, total, name):
    if progress is None:
        return None

    def report(done, of, message):
        progress(done, of, f"[{number}/{total}] {name}: {message}")

    return report


@transaction.atomic
def _demo_neighbourhoods(owning_agency, actor):
    for name, description, wards in DEMO_NEIGHBOURHOODS:
        codes = list(Area.objects.filter(type=AreaType.LSOA21, ward__code__in=wards)
                     .values_list("code", flat=True))
        existing = Neighbourhood.objects.filter(area__name=name).first()
        if existing is None:
            create_neighbourhood(actor, name=name, member_codes=codes, description=description,
                                 owning_agency=owning_agency)
        else:
            update_neighbourhood(actor, existing, name=name, member_codes=codes,
                                 description=description)
