"""The vulnerability and NRM pages and endpoints for the access matrix in
tests/core/test_access_matrix.py."""

PAGES = {
    "safeguarding:index": ("safeguarding.view", False),
    "safeguarding:index_geojson": ("safeguarding.view", False),
    "safeguarding:index_csv": ("safeguarding.view", False),
    "safeguarding:indicators": ("safeguarding.configure", False),
    "safeguarding:indicator_edit": ("safeguarding.configure", False),
    "safeguarding:upload": ("safeguarding.configure", False),
    "safeguarding:nrm_list": ("nrm.view", False),
    "safeguarding:nrm_new": ("nrm.record", False),
    "safeguarding:nrm_report": ("nrm.report", False),
    "safeguarding:nrm": ("nrm.view", False),
    "safeguarding:nrm_decide": ("nrm.record", False),
    "safeguarding:nrm_report_csv": ("nrm.report", False),
    "safeguarding:gaps": ("safeguarding.view", False),
    "safeguarding:places": ("places.view", False),
    "safeguarding:place_new": ("places.record", False),
    "safeguarding:place": ("places.view", False),
    "safeguarding:place_sighting": ("places.record", True),
    "safeguarding:place_link": ("places.record", True),
    "safeguarding:adults": ("cuckooing.view", False),
    "safeguarding:adult_new": ("cuckooing.record", False),
    "safeguarding:adult_involvement": ("cuckooing.record", True),
    "safeguarding:across_cases": ("safeguarding.across_cases", False),
    "safeguarding:mace": ("mace.view", False),
    "safeguarding:mace_settings": ("mace.configure", False),
    "safeguarding:mace_refer": ("mace.refer", False),
    "safeguarding:panel_new": ("mace.manage", False),
    "safeguarding:panel": ("mace.view", False),
    "safeguarding:hearing": ("mace.view", False),
    "safeguarding:hearing_record": ("mace.manage", False),
    "safeguarding:mace_action_new": ("mace.manage", False),
    "safeguarding:mace_action_raise": ("mace.manage", True),
    "safeguarding:maps": ("peermap.view", False),
    "safeguarding:map_new": ("peermap.edit", False),
    "safeguarding:map": ("peermap.view", False),
    "safeguarding:map_node_new": ("peermap.edit", False),
    "safeguarding:map_link_new": ("peermap.edit", False),
}

API = {
    "/api/v1/safeguarding/indicators": "safeguarding.view",
    "/api/v1/safeguarding/index": "safeguarding.view",
    "/api/v1/safeguarding/gaps": "safeguarding.view",
    "/api/v1/safeguarding/panels": "mace.view",
    "/api/v1/safeguarding/maps": "peermap.view",
}


def context():
    """An indicator with one figure, and an NRM referral the youth service made."""
    from datetime import date

    from soclocal.accounts.models import Agency
    from soclocal.areas.models import Area
    from soclocal.safeguarding.models import Indicator, IndicatorValue, NrmReferral

    area = Area.objects.create(type="lsoa21", code="E01099001", name="Matrix 001A",
                               population=1500)
    indicator = Indicator.objects.create(code="matrix_ind", name="Matrix indicator")
    IndicatorValue.objects.create(indicator=indicator, area=area, period="2025", count=7)
    referral = NrmReferral.objects.create(
        reference="NRM-M-1", first_responder_agency=Agency.objects.get(name="Test Youth Service"),
        exploitation_type="criminal", age_band="16-17", referral_date=date(2025, 3, 3),
        reasonable_grounds_due=date(2025, 3, 10))
    from soclocal.safeguarding.models import Place, VulnerableAdult

    place = Place.objects.create(name="Matrix Park", kind="park", area=area,
                                 owning_agency=referral.first_responder_agency)
    adult = VulnerableAdult.objects.create(first_name="Matrix", last_name="Adult",
                                           owning_agency=referral.first_responder_agency)
    return {"indicator": indicator.pk, "nrm": referral.pk, "place": place.pk,
            "adult": adult.pk}


def role_context(user):
    """A panel with one child's hearing and an action, and a peer-group map, each reached by
    `user` as a member (these records are reached by membership only)."""
    from datetime import date

    from soclocal.safeguarding.models import (
        MaceAction,
        MaceHearing,
        MaceReferral,
        PanelMeeting,
        PeerGroupMap,
    )

    meeting = PanelMeeting.objects.create(held_on=date(2025, 5, 1), police_chair=user,
                                          local_authority_chair=user, created_by=user)
    meeting.members.add(user)
    referral = MaceReferral.objects.create(
        case_id=1, case_reference="Case 1", referred_by=user, referring_agency=user.agency,
        indicators=["phones"], evidence={"phones": "Two phones"}, concerns="Worried")
    hearing = MaceHearing.objects.create(meeting=meeting, referral=referral)
    action = MaceAction.objects.create(hearing=hearing, kind="disrupt", description="Visit",
                                       owning_agency=user.agency, due_on=date(2025, 6, 1))
    peer_map = PeerGroupMap.objects.create(title="Matrix map", owning_agency=user.agency,
                                           created_by=user)
    return {"mace_panel": meeting.pk, "mace_hearing": hearing.pk, "mace_action": action.pk,
            "peer_map": peer_map.pk}


MACE_KWARGS = {
    "safeguarding:mace_refer": ("case_pk", "case"),
    "safeguarding:panel": ("pk", "mace_panel"),
    "safeguarding:hearing": ("pk", "mace_hearing"),
    "safeguarding:hearing_record": ("pk", "mace_hearing"),
    "safeguarding:mace_action_new": ("pk", "mace_hearing"),
    "safeguarding:mace_action_raise": ("pk", "mace_action"),
    "safeguarding:map": ("pk", "peer_map"),
    "safeguarding:map_node_new": ("pk", "peer_map"),
    "safeguarding:map_link_new": ("pk", "peer_map"),
}


def url_kwargs(name, ctx):
    if name in MACE_KWARGS:
        key, held = MACE_KWARGS[name]
        return {key: ctx.get(held, 1)}
    if name == "safeguarding:indicator_edit":
        return {"pk": ctx.get("indicator", 1)}
    if name in ("safeguarding:nrm", "safeguarding:nrm_decide"):
        return {"pk": ctx.get("nrm", 1)}
    if name in ("safeguarding:place", "safeguarding:place_sighting", "safeguarding:place_link"):
        return {"pk": ctx.get("place", 1)}
    if name == "safeguarding:adult_involvement":
        return {"pk": ctx.get("adult", 1)}
    return None


def api_path(template, ctx):
    return template
