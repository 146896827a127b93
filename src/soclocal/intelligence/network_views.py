"""The network page and its exports: one filter form, one selector (selectors.network)."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soclocal.core import audit, networks
from soclocal.core.access import requires

from . import selectors, services
from .forms import DATE
from .models import Grading, Link

EXPORTS = {  # format -> (file extension, content type)
    "ftm": ("ftm.jsonl", "application/x-ndjson; charset=utf-8"),
    "gexf": ("gexf", "application/gexf+xml"),
    "graphml": ("graphml", "application/graphml+xml"),
}


# Above this many entities betweenness is estimated from this many (bench/bench_network.py).
BETWEENNESS_SAMPLE = 400


class NetworkForm(forms.Form):
    around = forms.CharField(label="Around the entity", required=False, max_length=40,
                             help_text="Its reference, such as P-00012")
    steps = forms.IntegerField(label="To this many steps", min_value=1, max_value=5, initial=2,
                               required=False)
    path_from = forms.CharField(label="Shortest path from", required=False, max_length=40,
                                help_text="A reference")
    path_to = forms.CharField(label="to", required=False, max_length=40, help_text="A reference")
    kinds = forms.MultipleChoiceField(label="Kinds of link", choices=Link.Kind.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple,
                                      help_text="None ticked shows every kind")
    source_grade = forms.ChoiceField(label="Source graded at least",
                                     choices=[("", "Any, including ungraded")] + Grading.SOURCE,
                                     required=False)
    intelligence_grade = forms.ChoiceField(
        label="Intelligence graded at least",
        choices=[("", "Any, including ungraded")] + Grading.INTELLIGENCE, required=False)
    on = forms.DateField(label="As it stood on", required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def _entity(self, name):
        reference = (self.cleaned_data.get(name) or "").strip()
        if not reference:
            return None
        found = selectors.entities_for(self.user).filter(reference__iexact=reference).first()
        if found is None:
            self.add_error(name, f"No entity with the reference {reference} that you can see")
        return found

    def clean(self):
        data = super().clean()
        data["around_entity"] = self._entity("around")
        data["path_entities"] = [self._entity("path_from"), self._entity("path_to")]
        if sum(e is not None for e in data["path_entities"]) == 1:
            self.add_error("path_to" if data["path_entities"][0] else "path_from",
                           "Give both ends of the path")
        return data

    def filters(self):
        d = self.cleaned_data if self.is_bound and self.is_valid() else {}
        floor = None
        if d.get("source_grade") or d.get("intelligence_grade"):
            floor = f"{d.get('source_grade') or '3'}/{d.get('intelligence_grade') or 'E'}"
        around = d.get("around_entity")
        return {"kinds": d.get("kinds") or (), "at_least": floor, "on": d.get("on"),
                "around": around.pk if around else None, "steps": d.get("steps") or 2}


def _network(request):
    form = NetworkForm(request.GET or None, user=request.user)
    return form, selectors.network(request.user, **form.filters())


def _audit(request, action, form, net, **detail):
    audit.record(action, detail={"entities": sorted(net.entities), "links": sorted(net.links),
                                 "filters": request.GET.urlencode(), **detail})


@requires("intel.entities")
def network(request):
    """The network as a graph (when JavaScript runs) and always as tables."""
    form, net = _network(request)
    sampled = net.graph.number_of_nodes() > BETWEENNESS_SAMPLE
    measures = networks.centrality(net.graph, sample=BETWEENNESS_SAMPLE)
    path, path_links = None, set()
    ends = form.cleaned_data.get("path_entities") if form.is_bound and form.is_valid() else None
    if ends and all(ends):
        path = networks.shortest_path(net.graph, ends[0].pk, ends[1].pk) or []
        for a, b in zip(path, path[1:], strict=False):
            path_links.update(net.graph[a][b])
    groups = [[net.entities[pk] for pk in g] for g in networks.suspected_groups(net.graph)]
    rows = sorted(({"entity": e, **measures.get(pk, {})} for pk, e in net.entities.items()),
                  key=lambda r: (-r.get("betweenness", 0), -r.get("degree", 0),
                                 r["entity"].reference))
    elements = networks.to_cytoscape(net.graph)
    for node in elements["nodes"]:
        node["data"]["reference"] = net.entities[int(node["data"]["id"])].reference
        node["data"]["on_path"] = bool(path) and int(node["data"]["id"]) in path
    for edge in elements["edges"]:  # Cytoscape needs ids unique across nodes and edges
        link = int(edge["data"]["id"])
        edge["data"].update(id=f"link-{link}", on_path=link in path_links)
    _audit(request, "intelligence.network.viewed", form, net)
    return render(request, "intelligence/network.html", {
        "form": form, "rows": rows, "links": list(net.links.values()), "groups": groups,
        "path": [net.entities[pk] for pk in path] if path else path,
        "elements": json.dumps(elements, sort_keys=True),
        "query": request.GET.urlencode(), "exports": EXPORTS, "sampled": sampled,
        "sample": BETWEENNESS_SAMPLE,
    })


@requires("intel.entities")
def network_export(request, fmt):
    form, net = _network(request)
    if fmt not in EXPORTS:
        return HttpResponse("There is no such export.", status=404, content_type="text/plain")
    body = {"ftm": lambda: "".join(net.ftm_lines()).encode(),
            "gexf": lambda: networks.to_gexf(net.graph),
            "graphml": lambda: networks.to_graphml(net.graph)}[fmt]()
    _audit(request, "intelligence.network.exported", form, net, format=fmt)
    extension, content_type = EXPORTS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="network.{extension}"'
    return response


@requires("intel.entities")
@require_POST
def record_group(request):
    """A suspected group becomes an organisation flagged as an organised crime group."""
    members = selectors.entities_for(request.user).filter(
        pk__in=[v for v in request.POST.getlist("member") if v.isdigit()])
    try:
        group = services.record_suspected_group(request.user, request.POST.get("name", ""),
                                                list(members))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(f"{reverse('intelligence:network')}?{request.POST.get('query', '')}")
    messages.success(request, _("Recorded %(group)s as a suspected organised crime group.")
                     % {"group": group.label})
    return redirect("intelligence:entity", group.pk)
