"""The early intervention pages and endpoints for tests/core/test_access_matrix.py."""

PAGES = {
    "cases:dashboard": ("cases.view", False),
    "cases:referral_new": ("cases.refer", False),
    "cases:queue": ("cases.manage", False),
    "cases:merge": ("cases.manage", False),
    "cases:merge_compare": ("cases.manage", False),
    "cases:star_list": ("cases.configure", False),
    "cases:star_new": ("cases.configure", False),
    "cases:star_edit": ("cases.configure", False),
    "cases:star_descriptors": ("cases.configure", False),
    "cases:star_upload": ("cases.configure", False),
    "cases:star_version": ("cases.configure", True),
    "cases:star_activate": ("cases.configure", True),
    "cases:report": ("cases.report", False),
    "cases:report_csv": ("cases.report", False),
    "cases:case": ("cases.view", False),
    "cases:triage": ("cases.manage", False),
    "cases:allocate": ("cases.manage", False),
    "cases:outreach": ("cases.record", False),
    "cases:contact": ("cases.record", False),
    "cases:reading_new": ("cases.record", False),
    "cases:reading_approve": ("cases.record", True),
    "cases:plan": ("cases.record", False),
    "cases:plan_approve": ("cases.manage", True),
    "cases:plan_review": ("cases.record", False),
    "cases:close": ("cases.record", False),
    "cases:closure_decide": ("cases.manage", True),
    "cases:rerefer": ("cases.refer", False),
    "cases:share": ("cases.share", False),
    "cases:share_revoke": ("cases.share", False),
    "cases:transfer_answer": ("cases.manage", False),
}

API = {
    "/api/v1/cases": "cases.view",
    "/api/v1/cases/{case_id}": "cases.view",
    "/api/v1/young-people": "cases.view",
    "/api/v1/referrals": "cases.view",
}


def context():
    """An open case owned by the youth agency and team (everyone's in the matrix), with the
    matrix's peer mentor assigned, a reading, a plan, a closure waiting, an active share and a
    transfer offered to the youth agency by the police."""
    from datetime import date

    from django.contrib.contenttypes.models import ContentType

    from soclocal.accounts.models import Agency, Team, User
    from soclocal.cases import star
    from soclocal.cases.models import (
        Case,
        Closure,
        Plan,
        Referral,
        StarReading,
        Transfer,
        YoungPerson,
    )
    from soclocal.core.access import Role
    from soclocal.core.models import Share

    youth = Agency.objects.get(name="Test Youth Service")
    police = Agency.objects.get(name="Test Police")
    team = Team.objects.get(agency=youth, name="Early Intervention")
    mentor = User.objects.filter(role_grants__role=Role.PEER_MENTOR, agency=youth).first()
    someone = User.objects.filter(agency=youth).first()
    person = YoungPerson.objects.create(first_name="Matrix", last_name="Person",
                                        date_of_birth=date(2010, 1, 1), owning_agency=youth,
                                        owning_team=team)
    case = Case.objects.create(young_person=person, owning_agency=youth, owning_team=team,
                               status=Case.Status.CLOSURE_REQUESTED, peer_mentor=mentor)
    Referral.objects.create(case=case, source="police", referrer_name="PC Test",
                            reasons=["missing"], created_by=someone, decision="accept")
    reading = StarReading.objects.create(case=case, instrument=star.default_instrument(),
                                         taken_on=date(2024, 1, 1), recorded_by=someone)
    plan = Plan.objects.create(case=case, created_by=someone)
    closure = Closure.objects.create(case=case, reason="goals_met", summary="Done",
                                     requested_by=someone)
    ct = ContentType.objects.get_for_model(Case)
    share = Share.objects.create(content_type=ct, object_id=case.pk, agency=police,
                                 purpose="Joint work", lawful_basis="Consent", created_by=someone)
    police_person = YoungPerson.objects.create(first_name="Offered", last_name="Person",
                                               date_of_birth=date(2010, 1, 1),
                                               owning_agency=police)
    offered = Case.objects.create(young_person=police_person, owning_agency=police,
                                  status=Case.Status.OPEN)
    offer = Share.objects.create(content_type=ct, object_id=offered.pk, agency=youth,
                                 purpose="Transfer", lawful_basis="Consent", created_by=someone)
    transfer = Transfer.objects.create(case=offered, share=offer, from_agency=police,
                                       to_agency=youth, created_by=someone)
    return {"instrument": reading.instrument_id, "case": case.pk, "reading": reading.pk, "plan": plan.pk, "closure": closure.pk,
            "share": share.pk, "transfer_case": offered.pk, "transfer": transfer.pk}


def url_kwargs(name, ctx):
    pk = ctx.get("case", 1)
    return {
        "cases:case": {"pk": pk}, "cases:triage": {"pk": pk}, "cases:allocate": {"pk": pk},
        "cases:outreach": {"pk": pk}, "cases:contact": {"pk": pk},
        "cases:reading_new": {"pk": pk},
        "cases:reading_approve": {"pk": pk, "reading": ctx.get("reading", 1)},
        "cases:plan": {"pk": pk},
        "cases:plan_approve": {"pk": pk, "plan": ctx.get("plan", 1)},
        "cases:plan_review": {"pk": pk}, "cases:close": {"pk": pk},
        "cases:closure_decide": {"pk": pk, "closure": ctx.get("closure", 1)},
        "cases:rerefer": {"pk": pk}, "cases:share": {"pk": pk},
        "cases:share_revoke": {"pk": pk, "share": ctx.get("share", 1)},
        "cases:star_edit": {"pk": ctx.get("instrument", 1)},
        "cases:star_descriptors": {"pk": ctx.get("instrument", 1)},
        "cases:star_upload": {"pk": ctx.get("instrument", 1)},
        "cases:star_version": {"pk": ctx.get("instrument", 1)},
        "cases:star_activate": {"pk": ctx.get("instrument", 1)},
        "cases:transfer_answer": {"pk": ctx.get("transfer_case", 1),
                                  "transfer": ctx.get("transfer", 1)},
    }.get(name)


def api_path(template, ctx):
    return template.format(case_id=ctx.get("case", 1))
