"""What a person can type into a form, for the property tests of each context's services and
pages (tests/<context>/test_service_properties.py): valid and invalid, empty, huge, any
script, dates and numbers at their edges, boxes left out, choices that were never offered.

`posts(form)` draws a whole POST for a form, field by field from its kind; `post_is_handled`
checks the page's promise: never a server error, and a refused post changes nothing and shows
again with what was typed."""

from datetime import date, timedelta

from django import forms
from django.utils.html import escape
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

from soclocal.core.models import AuditEvent

PROPERTY = settings(max_examples=20, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow,
                                           HealthCheck.filter_too_much])

# A page renders in a tenth of a second or more: fewer posts, each a whole form.
PAGE = settings(PROPERTY, max_examples=10)

# Any character a keyboard or a paste can send: every script, emoji, no NUL and no lone
# surrogate (a browser sends neither).
CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


def text(max_size=200, min_size=0):
    return st.text(CHARACTERS, min_size=min_size, max_size=max_size)


def typed(max_length=None):
    """What a text box can send: nothing, blanks, any text, and text at and past its limit."""
    most = max_length or 2000
    return st.one_of(
        st.just(""), st.sampled_from([" ", "\t", "\n", "   \r\n  "]),
        text(min(most, 60)),
        st.sampled_from(["Ælfrida Ó Súilleabháin", "王小明", "محمد", "😀👍🏽", "O'Brien & <Sons>",
                         "'; DROP TABLE cases; --", "%s %(x)s {0}"]),
        st.just("x" * most), st.just("y" * (most + 1)), st.just("z" * 20_000))


TODAY = date.today()
EDGE_DATES = [date(1, 1, 1), date(1900, 1, 1), date(1970, 1, 1), TODAY - timedelta(days=1),
              TODAY, TODAY + timedelta(days=1), date(2099, 12, 31), date(9999, 12, 31)]


def dates():
    """A date as a service takes it: at the edges of the calendar, today, and any day."""
    return st.one_of(st.sampled_from(EDGE_DATES), st.dates())


def typed_date():
    """A date box: ISO dates at the edges, any date, and what is not a date at all."""
    return st.one_of(dates().map(date.isoformat),
                     st.sampled_from(["", "2024-02-30", "31/12/2024", "yesterday", "0000-00-00",
                                      "99999-01-01", "2024-13-01", "２０２４-０１-０１"]))


def typed_number(lo=None, hi=None):
    """A number box: its edges and one past them, zero, huge, and what is not a number."""
    edges = [v for v in (lo, hi) if v is not None]
    near = [str(v + d) for v in edges for d in (-1, 0, 1)]
    return st.one_of(st.sampled_from(near + ["", "0", "-1", "1", "2147483647", "2147483648",
                                             "-9223372036854775809", "1e309", "NaN", "inf",
                                             "1.5", "abc", "٣", "1,000"]),
                     st.integers(-10**12, 10**12).map(str))


def _offered(field):
    return [str(k) for k, _label in field.choices if str(k) != ""
            and not isinstance(_label, (list, tuple))]


def field_value(field, name):
    """What can be posted for one field (None: the field is left out of the post)."""
    if isinstance(field, forms.FileField):
        return st.none()
    if isinstance(field, forms.BooleanField):
        return st.sampled_from([None, "on"])
    if isinstance(field, forms.DateField):
        return typed_date()
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        return typed_number(getattr(field, "min_value", None), getattr(field, "max_value", None))
    if isinstance(field, (forms.ModelMultipleChoiceField, forms.MultipleChoiceField)):
        offered = _offered(field)
        return st.lists(st.sampled_from(offered + ["999999", "not-a-choice", ""]),
                        max_size=4)
    if isinstance(field, (forms.ModelChoiceField, forms.ChoiceField)):
        offered = _offered(field)
        return st.sampled_from(offered + ["999999", "not-a-choice", "", "-1"]) \
            if offered else st.sampled_from(["", "999999", "not-a-choice"])
    return typed(getattr(field, "max_length", None))


@st.composite
def posts(draw, form, *, fixed=None, required=()):
    """A whole POST for `form` (an unbound instance): each field drawn from its kind or left
    out; `fixed` values are always sent as given, `required` names are never left out."""
    # A browser always sends the form's hidden token, so a post is never empty.
    data = {"csrfmiddlewaretoken": "token", **(fixed or {})}
    for name, field in form.fields.items():
        if name in data:
            continue
        value = draw(field_value(field, name))
        if name not in required and draw(st.integers(0, 9)) == 0:
            value = None  # the box is missing from the post altogether
        if value is not None:
            data[form.add_prefix(name)] = value
    return data


def counts(*models):
    """How many of each model there are, to show a refusal wrote nothing."""
    return tuple(m.objects.count() for m in models)


def written(*models):
    """As `counts`, with the audit events too: a refused write is not audited either."""
    return counts(*models) + (AuditEvent.objects.count(),)


def shown_again(html, data, form):
    """Every text box's value that was typed comes back on the refused page, escaped."""
    missing = []
    for key, value in data.items():
        name = key.split("-", 1)[1] if form.prefix and key.startswith(form.prefix + "-") else key
        field = form.fields.get(name)
        if (not isinstance(value, str) or not value.strip() or field is None
                or type(field) is not forms.CharField or isinstance(field.widget, forms.HiddenInput)
                or isinstance(field.widget, forms.PasswordInput)):
            continue
        if escape(value) not in html and escape(value.strip()) not in html:
            missing.append(name)
    return missing


def post_is_handled(client, url, data, *, models, form_key="form", taken=(302,), refused=(200,)):
    """POST `data` to `url`: never a server error (the test client re-raises any exception a
    view lets out), and an answer in `taken` or `refused` (status codes). `taken` answers with
    no form in error (a redirect, or a page that thanks for it) mean the post was taken; any
    other is a refusal, which writes none of `models` and shows the form again (`form_key`
    names it in the page's context, or picks it out of the context) saying what is wrong,
    with every text box as typed. Returns the response and whether the post was taken."""
    before = counts(*models)
    response = client.post(url, data)
    assert response.status_code in (*taken, *refused), response.status_code
    form = None
    if response.status_code != 302 and response.context is not None:
        form = form_key(response.context) if callable(form_key) \
            else response.context.get(form_key)
    if response.status_code in taken and (form is None or not form.errors):
        return response, True
    assert counts(*models) == before, "a refused post wrote something"
    assert form is not None and form.is_bound and form.errors, \
        "the page came back without saying what is wrong"
    missing = shown_again(response.content.decode(), data, form)
    assert not missing, f"what was typed in {missing} was not shown again"
    return response, False


def purposes(offered):
    """A purpose stated for opening a record: mostly one offered, else left out or anything."""
    return st.one_of(st.sampled_from(list(offered)), st.sampled_from(list(offered)),
                     st.one_of(st.none(), typed(60),
                               st.sampled_from(["", "999999", "not-a-choice", " panel",
                                                "DIRECT_WORK", "curious"])))


def read_is_handled(client, url, purpose, *, labels, default, action, shows):
    """GET a personal record's page stating `purpose` (None: none stated). A purpose offered,
    or none, opens the record and audits one read (`action`) with that purpose's label; any
    other is refused: asked again beside the purpose box, nothing of the record on the page
    (`shows` is text only the record has) and nothing recorded. Returns whether it opened."""
    reads, everything = AuditEvent.objects.filter(action=action).count(), AuditEvent.objects.count()
    response = client.get(url, {} if purpose is None else {"purpose": purpose})
    html = response.content.decode()
    if purpose is None or purpose in labels:
        assert response.status_code == 200 and shows in html
        assert AuditEvent.objects.filter(action=action).count() == reads + 1
        assert AuditEvent.objects.filter(action=action).latest("pk").purpose == \
            labels[default if purpose is None else purpose]
        event("opened")
        return True
    assert response.status_code == 400 and shows not in html
    assert AuditEvent.objects.count() == everything, "a refused purpose recorded a read"
    form = response.context["purpose_form"]
    assert form.is_bound and set(form.errors) == {"purpose"}
    event("refused")
    return False
