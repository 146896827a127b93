"""Reading agreements, the directory and the map of agencies, within what the person may see."""

import json
from collections import Counter

from django.db.models import Q
from django.utils import timezone

from soclocal.accounts.models import Agency
from soclocal.areas.models import Area, AreaType
from soclocal.cases import selectors as cases_selectors
from soclocal.core import disclosure, networks
from soclocal.core.access import get_scoped_or_404, scope
from soclocal.intelligence import selectors as intelligence_selectors
from soclocal.responses import selectors as responses_selectors

from .models import Agreement, Service

DIRECTORY_AREA_TYPES = (AreaType.WARD, AreaType.LAD, AreaType.NEIGHBOURHOOD)


# Agreements ---------------------------------------------------------------------------------

def agreements(user):
    return scope(user, "agreements.view", Agreement.objects.prefetch_related("parties"))


def get_agreement(user, pk) -> Agreement:
    return get_scoped_or_404(user, "agreements.view",
                             Agreement.objects.prefetch_related("parties"), pk=pk)


def past_review(user):
    """Agreements not ended whose review date has passed, oldest review first."""
    return (agreements(user).exclude(status=Agreement.Status.ENDED)
            .filter(review_on__lt=timezone.localdate()).order_by("review_on", "reference"))


def agreements_in_force(agencies=()):
    """Agreements a share may rely on; given agencies, only those all of them are party to."""
    qs = Agreement.objects.filter(status=Agreement.Status.ACTIVE)
    for agency in agencies:
        if agency is not None:
            qs = qs.filter(parties=agency)
    return qs.distinct().order_by("reference")


# The directory of services ------------------------------------------------------------------

def directory_areas():
    """The areas a search may name: wards, local authorities and neighbourhoods that at least
    one service covers."""
    return (Area.objects.filter(type__in=DIRECTORY_AREA_TYPES,
                                pk__in=Service.areas.through.objects.values("area_id"))
            .order_by("name"))


def _around(area):
    """The area and the bigger areas it sits in, so a service covering a city is found for a
    ward inside it."""
    ids = {area.pk}
    if area.type == AreaType.WARD:
        ids |= set(Area.objects.filter(type=AreaType.LSOA21, ward=area)
                   .values_list("lad_id", flat=True))
    return {i for i in ids if i}


def directory(user, *, text="", area=None, need="", age=None, agency=None,
              include_inactive=False):
    """Services matching every filter given: words in the name, description or who it is for;
    covering `area` (or the whole partnership area); meeting `need`; taking someone of `age`."""
    qs = scope(user, "directory.view", Service.objects.select_related("agency")
               .prefetch_related("areas"))
    if not include_inactive:
        qs = qs.filter(active=True)
    for word in (text or "").split():
        qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word)
                       | Q(agency__name__icontains=word) | Q(how_to_refer__icontains=word))
    if area is not None:
        qs = qs.filter(Q(whole_area=True) | Q(areas__in=_around(area)))
    if age is not None:
        qs = qs.filter(Q(age_from__isnull=True) | Q(age_from__lte=age)) \
               .filter(Q(age_to__isnull=True) | Q(age_to__gte=age))
    if agency is not None:
        qs = qs.filter(agency=agency)
    if need:
        # JSON containment is not on every database; the list's text holds the need's code in
        # quotes (a whole element) on each of them.
        qs = qs.filter(needs__icontains=json.dumps(need))
    return qs.distinct().order_by("name", "pk")


def get_service(user, pk) -> Service:
    return get_scoped_or_404(user, "directory.view", Service.objects.select_related("agency")
                             .prefetch_related("areas"), pk=pk)


def services_to_keep(user):
    return scope(user, "directory.manage", Agency.objects.filter(active=True))


# The map of agencies and the links between them ----------------------------------------------

LINK_KINDS = ("case share", "intelligence release", "plan action", "referral")


def _all_links():
    return [*cases_selectors.agency_links(), *intelligence_selectors.agency_links(),
            *responses_selectors.agency_links()]


def agency_network(*, date_from=None, date_to=None, kinds=()):
    """The partnership's agencies joined by the links between them in the period: one link per
    share, release, plan action or referral. Small counts are hidden in the tables."""
    agencies = {a.pk: a for a in Agency.objects.all()}
    nodes = [{"id": pk, "kind": a.kind, "label": a.name} for pk, a in agencies.items()]
    edges = [e for e in _all_links() if e["source"] in agencies and e["target"] in agencies]
    graph = networks.during(networks.build(nodes, edges), date_from, date_to)
    if kinds:
        graph = networks.filter_kinds(graph, kinds)
    pairs = Counter()
    for _, _, d in graph.edges(data=True):
        a, b = sorted((d["source"], d["target"]), key=lambda pk: agencies[pk].name)
        pairs[(a, b, d["kind"])] += 1
    # Each count stands alone (no totals are published, so none can be worked out from
    # others): counts from 1 to 4 are hidden.
    frame = disclosure.Frame()
    for key, n in pairs.items():
        frame.add(key, n)
    published = frame.suppress()
    rows = [{"from": agencies[a], "to": agencies[b], "kind": k,
             "count": published[(a, b, k)].shown}
            for (a, b, k) in sorted(pairs, key=lambda p: (agencies[p[0]].name,
                                                          agencies[p[1]].name, p[2]))]
    measures = networks.centrality(graph)
    partners = {pk: len({n for n in graph.neighbors(pk) if n != pk}) for pk in graph.nodes}
    agency_rows = sorted(({"agency": agencies[pk], "partners": partners[pk],
                           "kinds": sorted({d["kind"] for _, _, d in graph.edges(pk, data=True)}),
                           "betweenness": measures[pk]["betweenness"]}
                          for pk in graph.nodes),
                         key=lambda r: (-r["partners"], r["agency"].name))
    # The graph draws one line per pair and kind, labelled with its (suppressed) count.
    elements = {"nodes": [{"data": {"id": str(pk), "kind": agencies[pk].kind,
                                    "label": agencies[pk].name}} for pk in graph.nodes],
                "edges": [{"data": {"id": f"link-{r['from'].pk}-{r['to'].pk}-{i}",
                                    "source": str(r["from"].pk), "target": str(r["to"].pk),
                                    "kind": f"{r['kind']}: {r['count']}"}}
                          for i, r in enumerate(rows)]}
    return {"rows": rows, "agencies": agency_rows,
            "elements": elements, "kinds": LINK_KINDS}
