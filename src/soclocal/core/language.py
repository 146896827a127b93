"""English and Welsh: the resident's choice of language, and content held in both.

The choice is a cookie that Django's LocaleMiddleware reads on every request (else the
browser's own preference); the link in every page's header sets it and returns to the same
page. Messages sent later (a bid's decision) use the language stored with the contact.
"""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

WELSH = "cy"
ENGLISH = "en-gb"
NAMES = dict(settings.LANGUAGES)


def current() -> str:
    """The active language as one of LANGUAGES' codes (en-gb or cy)."""
    return WELSH if (translation.get_language() or "").startswith(WELSH) else ENGLISH


def other(code: str) -> str:
    return ENGLISH if code == WELSH else WELSH


def html_lang(code: str) -> str:
    """The value for a lang attribute: BCP 47, as GOV.UK writes it."""
    return "cy" if code == WELSH else "en-GB"


def choose(request, code):
    """Switch to `code` and go back to the page the link was on (GOV.UK's language link)."""
    if code not in NAMES:
        raise Http404("No such language")
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code,
                        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=True)
    return response


def localised(obj, field: str, code: str | None = None) -> str:
    """A bilingual record's text in the reader's language, falling back to the other one.

    English lives in `field`, Welsh in `field_cy`; either may be blank."""
    code = code or current()
    english = getattr(obj, field, "") or ""
    welsh = getattr(obj, f"{field}_cy", "") or ""
    return (welsh or english) if code == WELSH else (english or welsh)


def in_other(obj, field: str, code: str | None = None) -> str:
    """The same text in the other language, if it is there and differs (shown beside it)."""
    code = code or current()
    mine, theirs = localised(obj, field, code), localised(obj, field, other(code))
    return theirs if theirs != mine else ""


def normalise(code: str | None) -> str:
    """A stored or given language code as en-gb or cy (anything unknown is English)."""
    return WELSH if (code or "").lower().startswith(WELSH) else ENGLISH
