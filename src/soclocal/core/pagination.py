"""One way to page a list: Django's Paginator over a queryset filtered in the database, and
the GOV.UK pagination pattern (`core/pagination.html`) with the page's other query
parameters (its filters) kept in every link."""

from django.core.paginator import Paginator

PER_PAGE = 50


def paginate(request, items, per_page=PER_PAGE, *, param="page"):
    """The requested page of `items` (a number past the end gives the last page, anything
    else the first), with `.query`, the request's other parameters for the page links, and
    `.items_shown`, the numbers (and None for a gap) to link to."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    page.query = query.urlencode()
    page.param = param
    page.items_shown = _numbers(page.number, page.paginator.num_pages)
    return page


def _numbers(current, last):
    """1 … 4 5 6 … 20: the first, the last and the current page's neighbours."""
    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    out = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out
