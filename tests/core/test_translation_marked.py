"""Every template residents see (and the shared layout) has its readable text marked for
translation; the check itself finds what is not."""

from pathlib import Path

import pytest

from tests.core.template_text import unmarked

SRC = Path(__file__).resolve().parents[2] / "src" / "soclocal"

# The templates whose text is marked. A template added to one of these places must be
# marked too; staff templates elsewhere are marked app by app.
MARKED = [
    "core/templates/**/*.html",
    "accounts/templates/**/*.html",
    "budgeting/templates/**/*.html",
    "engagement/templates/**/*.html",
    "intelligence/templates/**/*.html",
    "cases/templates/**/*.html",
    "responses/templates/**/*.html",
    "priorities/templates/**/*.html",
    "safeguarding/templates/**/*.html",
    "partnership/templates/**/*.html",
    "dashboards/templates/**/*.html",
    "evaluation/templates/**/*.html",
    "areas/templates/**/*.html",
    "crime/templates/**/*.html",
    "profiles/templates/**/*.html",
]
NOT_YET: set[str] = set()


def marked_templates():
    found = sorted({p for pattern in MARKED for p in SRC.glob(pattern)
                    if str(p.relative_to(SRC)) not in NOT_YET})
    assert found, "no templates found"
    return found


@pytest.mark.parametrize("path", marked_templates(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_readable_text_is_left_unmarked(path):
    assert unmarked(path.read_text()) == []


def test_the_check_finds_text_outside_translate_tags():
    source = ('{% load i18n %}<h1>{% translate "Vote" %}</h1><p>Cast my vote</p>'
              '<img alt="A photo" src="x.png"><a aria-label="{% translate "Menu" %}">'
              '{% blocktranslate %}Back to {{ name }}{% endblocktranslate %}</a>'
              '{# a comment #}<script>var words = "not read";</script>')
    assert unmarked(source) == ["Cast my vote", "A photo"]


def test_the_check_lets_through_names_numbers_and_punctuation():
    assert unmarked("<title>{% block title %}{% endblock %} – soclocal</title>"
                    "<p>{{ a }}: {{ b }} (999)</p>") == []
