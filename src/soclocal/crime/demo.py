"""The demo's crime data: two years of Nottinghamshire street crime from police.uk."""

from pathlib import Path

from .imports import import_paths

DEMO_ARCHIVE = Path(__file__).resolve().parent / "demo_data" / "nottinghamshire-2023-2024.zip"


def load_demo_crime(progress=None):
    """Import the demo archive; months already held from the same files are left alone, so
    running the demo again is quick."""
    return import_paths([DEMO_ARCHIVE], progress=progress, skip_unchanged=True)
