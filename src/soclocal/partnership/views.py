"""Agreements, the directory of services and the map of agencies: thin views."""

import json

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from soclocal.core import audit
from soclocal.core.access import can, requires
from soclocal.core.forms import submitted
from soclocal.core.pagination import paginate

from . import selectors, services
from .forms import AgreementForm, DirectorySearchForm, NetworkForm, ServiceForm


@requires("agreements.view")
def agreements(request):
    rows = list(selectors.agreements(request.user))
    return render(request, "partnership/agreements.html", {
        "agreements": rows, "past_review": [a for a in rows if a.past_review],
        "can_manage": can(request.user, "agreements.manage")})


@requires("agreements.view")
def agreement(request, pk):
    obj = selectors.get_agreement(request.user, pk)
    return render(request, "partnership/agreement.html", {
        "agreement": obj, "can_manage": can(request.user, "agreements.manage")})


@requires("agreements.manage")
def agreement_new(request):
    form = AgreementForm(request.POST or None, request.FILES or None)
    done = submitted(request, form, lambda: services.create_agreement(
        request.user, **form.service_data()), success=_("The agreement is recorded."),
        to=None)
    if done is not None:
        return done
    return render(request, "partnership/agreement_form.html", {
        "form": form, "title": "Record an information-sharing agreement"})


@requires("agreements.manage")
def agreement_edit(request, pk):
    obj = selectors.get_agreement(request.user, pk)
    form = AgreementForm(request.POST or None, request.FILES or None, instance=None,
                         initial=None if request.method == "POST" else {
                             **{f: getattr(obj, f) for f in services.AGREEMENT_FIELDS},
                             "parties": list(obj.parties.all())})
    done = submitted(request, form, lambda: services.update_agreement(
        request.user, obj, **form.service_data()), success=_("The agreement is saved."),
        to=obj.get_absolute_url())
    if done is not None:
        return done
    return render(request, "partnership/agreement_form.html", {
        "form": form, "agreement": obj, "title": f"Change {obj.reference}"})


@requires("agreements.view")
def agreement_document(request, pk):
    obj = selectors.get_agreement(request.user, pk)
    if not obj.document:
        raise Http404
    audit.record("partnership.agreement.document_read", obj=obj)
    return FileResponse(obj.document.open("rb"), as_attachment=True,
                        filename=obj.document_name or obj.document.name.rsplit("/", 1)[-1])


def _search(request):
    areas = selectors.directory_areas()
    form = DirectorySearchForm(request.GET or None, areas=areas)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, selectors.directory(request.user, text=filters.get("q", ""),
                                     area=filters.get("area"), need=filters.get("need", ""),
                                     age=filters.get("age"))


@requires("directory.view")
def directory(request):
    form, found = _search(request)
    return render(request, "partnership/directory.html", {
        "form": form, "services": paginate(request, found), "searched": form.is_bound,
        "can_manage": can(request.user, "directory.manage")})


@requires("directory.view")
def service(request, pk):
    obj = selectors.get_service(request.user, pk)
    may_keep = selectors.services_to_keep(request.user).filter(pk=obj.agency_id).exists()
    return render(request, "partnership/service.html", {"service": obj, "can_edit": may_keep})


@requires("directory.manage")
def service_new(request):
    agencies = selectors.services_to_keep(request.user)
    form = ServiceForm(request.POST or None, agencies=agencies,
                       initial={"agency": request.user.agency_id, "active": True})
    done = submitted(request, form, lambda: services.create_service(
        request.user, **form.service_data()), success=_("The service is in the directory."),
        to=None)
    if done is not None:
        return done
    return render(request, "partnership/service_form.html", {
        "form": form, "title": "Add a service to the directory"})


@requires("directory.manage")
def service_edit(request, pk):
    obj = selectors.get_service(request.user, pk)
    agencies = selectors.services_to_keep(request.user)
    if not agencies.filter(pk=obj.agency_id).exists():
        raise Http404
    form = ServiceForm(request.POST or None, instance=obj if request.method != "POST" else None,
                       agencies=agencies)
    done = submitted(request, form, lambda: services.update_service(
        request.user, obj, **form.service_data()), success=_("The service is saved."),
        to=obj.get_absolute_url())
    if done is not None:
        return done
    return render(request, "partnership/service_form.html", {
        "form": form, "service": obj, "title": f"Change {obj.name}"})


@requires("partnership.network")
def network(request):
    form = NetworkForm(request.GET or None)
    d = form.cleaned_data if form.is_bound and form.is_valid() else {}
    net = selectors.agency_network(date_from=d.get("date_from"), date_to=d.get("date_to"),
                                   kinds=d.get("kinds") or ())
    audit.record("partnership.network.viewed", detail={"filters": request.GET.urlencode()})
    return render(request, "partnership/network.html", {
        "form": form, **net, "elements_json": json.dumps(net["elements"], sort_keys=True)})
