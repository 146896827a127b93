"""Problem profiles over the API: the saved profiles and one profile's document."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from soclocal.core import audit
from soclocal.core.access import demand

from . import selectors

router = Router(tags=["profiles"])


class ProfileOut(Schema):
    id: int
    area_type: str
    area_code: str
    area_name: str
    month_from: str
    month_to: str
    version: int
    built_at: str


@router.get("/profiles", response=list[ProfileOut], summary="Saved problem profiles")
def profiles(request):
    demand(request, "profiles.view_shared")
    return [{"id": p.pk, "area_type": p.area.type, "area_code": p.area.code,
             "area_name": p.area.name, "month_from": p.month_from, "month_to": p.month_to,
             "version": p.version, "built_at": p.built_at.isoformat()}
            for p in selectors.profile_list(request.user)[:500]]


@router.get("/profiles/{profile_id}", summary="One profile as JSON (docs/profile-json.md); "
            "the sharing version unless your roles see the full one")
def profile(request, profile_id: int, sharing: bool = False):
    demand(request, "profiles.view_shared")
    version = get_object_or_404(selectors.profile_list(request.user).defer(None), pk=profile_id)
    sharing = sharing or not selectors.sees_full_version(request.user)
    audit.record("profile.viewed", obj=version, detail={"sharing": sharing, "via": "api"})
    return selectors.document(version, sharing=sharing)
