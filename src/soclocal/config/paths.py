"""Where the data directory is, known without starting Django (the settings use it too)."""

import os
from pathlib import Path


def data_dir() -> Path:
    """SOCLOCAL_DATA_DIR, else ./var: the database, the secret key and every file."""
    return Path(os.environ.get("SOCLOCAL_DATA_DIR", "var")).resolve()
