"""The committed Welsh catalogue: complete for what residents read, compiled, and in step
with its .po."""

import shutil

import polib
from django.utils import translation

from soclocal.cli import main
from soclocal.core import translations


def test_the_committed_mo_is_what_the_po_compiles_to():
    assert translations.catalogues(), "no catalogues found"
    assert translations.stale() == []


def test_check_fails_when_a_mo_is_out_of_date_and_compiling_fixes_it(settings, tmp_path, capsys):
    source = translations.catalogues()[0]
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(source, folder / "django.po")
    (folder / "django.mo").write_bytes(b"old")
    settings.LOCALE_PATHS = [tmp_path]
    assert main(["translations", "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert main(["translations"]) == 0
    assert main(["translations", "--check"]) == 0


def test_every_entry_is_translated_and_keeps_its_placeholders():
    import re

    po = polib.pofile(str(translations.catalogues()[0]))
    placeholders = re.compile(r"%\(\w+\)[sd]|<[^>]+>")
    for entry in po:
        if entry.obsolete:
            continue
        assert entry.translated(), f"not translated: {entry.msgid!r}"
        wanted = sorted(placeholders.findall(entry.msgid))
        for text in ([entry.msgstr] if not entry.msgid_plural
                     else list(entry.msgstr_plural.values())):
            assert sorted(placeholders.findall(text)) == wanted, entry.msgid


def test_django_reads_the_welsh():
    with translation.override("cy"):
        assert translation.gettext("Make a bid") == "Gwneud cais"
        assert translation.ngettext("Choose at least %(fewest)d bid.",
                                    "Choose at least %(fewest)d bids.", 2) % {"fewest": 2} \
            == "Dewiswch o leiaf 2 gais."
