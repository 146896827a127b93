"""A few Welsh translations laid over the project's own catalogue for one test, so a test can
show a label is looked up in the reader's language (and an export is not) before the staff
pages' Welsh is written."""

from pathlib import Path

import polib

from soclocal.core import translations


def lay_over(settings, folder: Path, entries: dict[str, str]) -> None:
    """Compile `entries` (English: Welsh) into a catalogue in `folder` that Django reads before
    the project's; `settings` is pytest-django's, so the change ends with the test."""
    ours = polib.pofile(str(translations.catalogues()[0]))
    po = polib.POFile()
    po.metadata = dict(ours.metadata)
    for msgid, msgstr in entries.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    path = folder / "cy" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    path.with_suffix(".mo").write_bytes(translations.compiled(path))
    settings.LOCALE_PATHS = [folder, *settings.LOCALE_PATHS]
