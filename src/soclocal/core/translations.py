"""The translation catalogues: each .po compiled to the .mo Django reads, with polib, so no
machine needs GNU gettext's msgfmt. The .mo files are committed beside their .po (a checkout
speaks Welsh with no build step); `soclocal translations --check` and the tests say when one
is out of date."""

from pathlib import Path

import polib
from django.conf import settings


def catalogues() -> list[Path]:
    return sorted(p for d in settings.LOCALE_PATHS for p in Path(d).glob("*/LC_MESSAGES/*.po"))


def compiled(po_path: Path) -> bytes:
    """The .mo bytes for a catalogue; fuzzy and untranslated entries are left out, as msgfmt
    does, so a reader sees English rather than a guess."""
    po = polib.pofile(str(po_path))
    for entry in list(po):
        if entry.obsolete or "fuzzy" in entry.flags:
            po.remove(entry)
    tmp = po_path.with_suffix(".mo.tmp")
    try:
        po.save_as_mofile(str(tmp))
        return tmp.read_bytes()
    finally:
        tmp.unlink(missing_ok=True)


def stale() -> list[Path]:
    """Catalogues whose .mo is missing or differs from what its .po compiles to."""
    out = []
    for po in catalogues():
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compiled(po):
            out.append(po)
    return out


def compile_all() -> list[Path]:
    """Write every out-of-date .mo; the catalogues written."""
    written = []
    for po in stale():
        po.with_suffix(".mo").write_bytes(compiled(po))
        written.append(po)
    return written
