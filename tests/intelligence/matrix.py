"""The intelligence pages and endpoints for tests/core/test_access_matrix.py.

Everyone in the matrix works for the youth agency, so the records here are that agency's: a
report with an approved sanitised version released to it, a source the matrix's intelligence
officer handles, two linked entities, and one submission per person (only its maker, their
manager and the intelligence officers reach it)."""

PAGES = {
    "intelligence:home": ("intel.submit", False),
    "intelligence:submit": ("intel.submit", False),
    "intelligence:submission": ("intel.submit", False),
    "intelligence:report_new": ("intel.assess", False),
    "intelligence:report": ("intel.assess", False),
    "intelligence:report_edit": ("intel.assess", False),
    "intelligence:sanitise": ("intel.assess", False),
    "intelligence:sanitised_approve": ("intel.assess", True),
    "intelligence:release": ("intel.assess", False),
    "intelligence:release_withdraw": ("intel.assess", False),
    "intelligence:report_entities": ("intel.entities", False),
    "intelligence:received": ("intel.receive", False),
    "intelligence:sources": ("intel.sources", False),
    "intelligence:source_new": ("intel.sources", False),
    "intelligence:source": ("intel.sources", False),
    "intelligence:entities": ("intel.entities", False),
    "intelligence:entity": ("intel.entities", False),
    "intelligence:import": ("intel.entities", False),
    "intelligence:duplicates": ("intel.entities", False),
    "intelligence:pair": ("intel.entities", False),
    "intelligence:merges": ("intel.entities", False),
    "intelligence:merge_undo": ("intel.entities", True),
    "intelligence:network": ("intel.entities", False),
    "intelligence:network_export": ("intel.entities", False),
    "intelligence:network_group": ("intel.entities", True),
    "intelligence:requirements": ("intel.tasked", False),
    "intelligence:requirement_new": ("intel.requirements", False),
    "intelligence:requirement": ("intel.tasked", False),
    "intelligence:requirement_answer": ("intel.tasked", False),
    "intelligence:requirement_close": ("intel.requirements", True),
    "intelligence:analysis": ("intel.analysis", False),
    "intelligence:analysis_csv": ("intel.analysis", False),
    "intelligence:analysis_geojson": ("intel.analysis", False),
}

API = {
    "/api/v1/intelligence/submissions": "intel.submit",
    "/api/v1/intelligence/reports": "intel.assess",
    "/api/v1/intelligence/reports/{report_id}": "intel.assess",
    "/api/v1/intelligence/received": "intel.receive",
    "/api/v1/intelligence/received/{sanitised_id}": "intel.receive",
    "/api/v1/intelligence/entities": "intel.entities",
    "/api/v1/intelligence/links": "intel.entities",
    "/api/v1/intelligence/network": "intel.entities",
    "/api/v1/intelligence/requirements": "intel.tasked",
    "/api/v1/intelligence/requirements/{requirement_id}/answers": "intel.tasked",
}


def context():
    from django.utils import timezone

    from soclocal.accounts.models import Agency, User
    from soclocal.core.access import Role
    from soclocal.intelligence.models import (
        Entity,
        IntelligenceReport,
        Link,
        Merge,
        Release,
        Requirement,
        SanitisedVersion,
        Source,
    )

    youth = Agency.objects.get(name="Test Youth Service")
    officer = User.objects.filter(role_grants__role=Role.INTELLIGENCE_OFFICER,
                                  agency=youth).first()
    source = Source.objects.create(reference="SRC-M", owning_agency=youth, identity="Matrix",
                                   created_by=officer)
    source.handlers.add(officer)
    report = IntelligenceReport.objects.create(
        reference="IR-M", owning_agency=youth, title="Matrix", text="Original", source=source,
        source_type="partner", source_grade="2", intelligence_grade="B", handling="P",
        created_by=officer)
    version = SanitisedVersion.objects.create(
        report=report, text="Sanitised", source_grade="2", intelligence_grade="B", handling="P",
        author=officer, approved_by=officer, approved_at=timezone.now())
    release = Release.objects.create(sanitised=version, agency=youth, purpose="Matrix",
                                     released_by=officer)
    a = Entity.objects.create(reference="P-M1", kind="person", owning_agency=youth,
                              surname="Matrix")
    b = Entity.objects.create(reference="A-M1", kind="address", owning_agency=youth,
                              address="1 Matrix Street")
    a.reports.add(report)
    Link.objects.create(owning_agency=youth, from_entity=a, to_entity=b, kind="occupies")
    twin = Entity.objects.create(reference="P-M2", kind="person", owning_agency=youth,
                                 surname="Matrix")
    gone = Entity.objects.create(reference="P-M3", kind="person", owning_agency=youth,
                                 surname="Matricks", merged_into=a)
    merge = Merge.objects.create(owning_agency=youth, survivor=a, merged=gone, merged_by=officer,
                                 moved={"links_from": [], "links_to": [], "reports": [],
                                        "reports_added": []})
    requirement = Requirement.objects.create(
        reference="R-M", owning_agency=youth, question="Matrix?", tasked_agency=youth,
        due_on=timezone.localdate(), set_by=officer)
    return {"intel_requirement": requirement.pk, "intel_report": report.pk, "intel_version": version.pk,
            "intel_release": release.pk, "intel_source": source.pk, "intel_entity": a.pk,
            "intel_twin": twin.pk, "intel_merge": merge.pk}


def role_context(user):
    from soclocal.intelligence import services
    from soclocal.intelligence.models import Submission

    submission = services.submit(user, what="Seen", where="Here", when="Today",
                                 how_known=Submission.HowKnown.SAW,
                                 to_agency=user.agency)
    return {"intel_submission": submission.pk}


def url_kwargs(name, ctx):
    report = ctx.get("intel_report", 1)
    version = ctx.get("intel_version", 1)
    return {
        "intelligence:submission": {"pk": ctx.get("intel_submission", 1)},
        "intelligence:report": {"pk": report},
        "intelligence:report_edit": {"pk": report},
        "intelligence:sanitise": {"pk": report},
        "intelligence:sanitised_approve": {"pk": report, "version": version},
        "intelligence:release": {"pk": report, "version": version},
        "intelligence:release_withdraw": {"pk": report, "release": ctx.get("intel_release", 1)},
        "intelligence:report_entities": {"pk": report},
        "intelligence:received": {"pk": version},
        "intelligence:source": {"pk": ctx.get("intel_source", 1)},
        "intelligence:entity": {"pk": ctx.get("intel_entity", 1)},
        "intelligence:pair": {"left": ctx.get("intel_entity", 1),
                              "right": ctx.get("intel_twin", 2)},
        "intelligence:merge_undo": {"pk": ctx.get("intel_merge", 1)},
        "intelligence:network_export": {"fmt": "ftm"},
        "intelligence:requirement": {"pk": ctx.get("intel_requirement", 1)},
        "intelligence:requirement_answer": {"pk": ctx.get("intel_requirement", 1)},
        "intelligence:requirement_close": {"pk": ctx.get("intel_requirement", 1)},
    }.get(name)


def api_path(template, ctx):
    return template.format(report_id=ctx.get("intel_report", 1),
                           requirement_id=ctx.get("intel_requirement", 1),
                           sanitised_id=ctx.get("intel_version", 1))
