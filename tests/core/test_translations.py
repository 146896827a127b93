"""The committed Welsh catalogue: complete for what residents read, compiled, and in step
with its .po."""

import re
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


# What residents read: every string used here has its Welsh (staff strings may follow).
RESIDENT_FILES = re.compile(
    r"(/public/|^core/templates/(base|500|503)\.html$|^core/templates/core/(error|error_summary|"
    r"field|too_many|_other_language)\.html$|^budgeting/templates/budgeting/_result_table\.html$|"
    r"^budgeting/(sms|reasons)\.py$|^core/context_processors\.py$)")


def test_everything_residents_read_is_translated():
    po = polib.pofile(str(translations.catalogues()[0]))
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()
               and any(RESIDENT_FILES.search(path) for path, _line in e.occurrences)]
    assert missing == []
    assert sum(1 for e in po if any(RESIDENT_FILES.search(p) for p, _l in e.occurrences)) > 150


def test_the_resident_forms_speak_welsh():
    from soclocal.budgeting.forms import BidForm, CodeCheckForm, ContactForm, VoteForm
    from soclocal.budgeting.models import Process
    from soclocal.engagement.forms import CommunityReportForm, JoinForm

    def texts_of(language):
        process = Process(name="Fund", budget=1000, max_bid=500, ballot_kind="approval")
        with translation.override(language):
            forms = [ContactForm(), CodeCheckForm(), BidForm(process=process),
                     VoteForm(process=process, bids=[]), JoinForm(), CommunityReportForm()]
            found = {}
            for form in forms:
                for name, field in form.fields.items():
                    if name in ("website", "started"):
                        continue
                    texts = [field.label, field.help_text,
                             *[field.error_messages.get(k) for k in ("required", "max_length")],
                             *[label for _value, label in getattr(field, "choices", [])]]
                    for i, text in enumerate(texts):
                        if text:
                            found[f"{type(form).__name__}.{name}.{i}"] = str(text)
            return found

    english, welsh = texts_of("en-gb"), texts_of("cy")
    assert english.keys() == welsh.keys() and len(english) > 40
    same = [f"{key}: {text}" for key, text in english.items()
            if welsh[key] == text and re.search(r"[A-Za-z]{3}", text)]
    assert same == []


def test_translated_entries_keep_their_placeholders():
    po = polib.pofile(str(translations.catalogues()[0]))
    placeholders = re.compile(r"%\(\w+\)[sd]|<[^>]+>")
    for entry in po:
        if entry.obsolete or not entry.translated():
            continue
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
