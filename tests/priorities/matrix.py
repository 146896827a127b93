"""The priorities pages and endpoints for the access matrix in tests/core/test_access_matrix.py."""

PAGES = {
    "priorities:list": ("priorities.view_shared", False),
    "priorities:csv": ("priorities.view_shared", False),
    "priorities:pdf": ("priorities.view_shared", False),
    "priorities:method": ("priorities.configure", False),
    "priorities:threat_new": ("priorities.raise", False),
    "priorities:threat": ("priorities.view", False),
    "priorities:assess": ("priorities.assess", False),
    "priorities:decide": ("priorities.decide", False),
    "priorities:link": ("priorities.raise", False),
    "priorities:threat_from_group": ("priorities.raise", True),
}

API = {
    "/api/v1/priorities/threats": "priorities.view_shared",
    "/api/v1/priorities/threats/{threat_id}": "priorities.view",
    "/api/v1/priorities/method": "priorities.view_shared",
}


def context():
    """A shared threat raised by a youth service analyst."""
    from soclocal.accounts.models import Agency, User
    from soclocal.priorities.models import Threat

    youth = Agency.objects.get(name="Test Youth Service")
    threat = Threat.objects.create(kind=Threat.Kind.PLACE, title="Matrix threat",
                                   owning_agency=youth, raised_by=User.objects.first())
    return {"threat": threat.pk}


def url_kwargs(name, ctx):
    if name in ("priorities:threat", "priorities:assess", "priorities:decide",
                "priorities:link"):
        return {"pk": ctx.get("threat", 1)}
    return None


def api_path(template, ctx):
    return template.format(threat_id=ctx.get("threat", 1))
