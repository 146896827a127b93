"""The agreements, directory and agency-map pages and endpoints for the access matrix in
tests/core/test_access_matrix.py."""

PAGES = {
    "partnership:agreements": ("agreements.view", False),
    "partnership:agreement_new": ("agreements.manage", False),
    "partnership:agreement": ("agreements.view", False),
    "partnership:agreement_edit": ("agreements.manage", False),
    "partnership:agreement_document": ("agreements.view", False),
    "partnership:directory": ("directory.view", False),
    "partnership:service_new": ("directory.manage", False),
    "partnership:service": ("directory.view", False),
    "partnership:service_edit": ("directory.manage", False),
    "partnership:network": ("partnership.network", False),
}

API = {
    "/api/v1/partnership/agreements": "agreements.view",
    "/api/v1/partnership/agreements/{agreement_id}": "agreements.view",
    "/api/v1/partnership/services": "directory.view",
    "/api/v1/partnership/services/{service_id}": "directory.view",
}


def context():
    """An agreement with its document, and a service of the youth service (everyone's agency
    in the matrix, so its managers may change it)."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from soclocal.accounts.models import Agency
    from soclocal.partnership import services

    agencies = list(Agency.objects.all())
    agreement = services.create_agreement(
        None, parties=agencies, title="Matrix agreement", status="active",
        purposes="Testing", lawful_bases="UK GDPR Article 6(1)(e)", data_categories="Names",
        retention_terms="A year", review_on=date(2030, 1, 1), signatories="A. Signatory",
        document=SimpleUploadedFile("matrix.pdf", b"%PDF-1.4 matrix", "application/pdf"))
    service = services.create_service(
        None, agency=Agency.objects.get(name="Test Youth Service"), name="Matrix mentoring",
        description="Mentoring", how_to_refer="Email us", contact_email="m@example.org",
        needs=["mentoring"], whole_area=True)
    return {"agreement": agreement.pk, "service": service.pk}


def url_kwargs(name, ctx):
    if name.startswith("partnership:agreement") and name not in ("partnership:agreements",
                                                                  "partnership:agreement_new"):
        return {"pk": ctx.get("agreement", 1)}
    if name in ("partnership:service", "partnership:service_edit"):
        return {"pk": ctx.get("service", 1)}
    return None


def api_path(template, ctx):
    return template.format(agreement_id=ctx.get("agreement", 1),
                           service_id=ctx.get("service", 1))
