"""The budgeting pages for the access matrix in tests/core/test_access_matrix.py."""

PAGES = {
    "budgeting:processes": ("budgeting.manage", False),
    "budgeting:process_new": ("budgeting.manage", False),
    "budgeting:process_import": ("budgeting.manage", False),
    "budgeting:process": ("budgeting.manage", False),
    "budgeting:process_edit": ("budgeting.manage", False),
    "budgeting:bid_moderate": ("budgeting.manage", False),
    "budgeting:event_new": ("budgeting.manage", True),
    "budgeting:codes": ("budgeting.manage", False),
    "budgeting:paper_ballot": ("budgeting.manage", False),
    "budgeting:results": ("budgeting.manage", False),
    "budgeting:result_compute": ("budgeting.manage", True),
    "budgeting:result_publish": ("budgeting.manage", True),
    "budgeting:result_override": ("budgeting.manage", True),
    "budgeting:project_update": ("budgeting.manage", True),
    "budgeting:export": ("budgeting.manage", False),
}

API = {
    "/api/v1/budgeting/processes": "budgeting.manage",
    "/api/v1/budgeting/processes/{pk}/result": "budgeting.manage",
}


def context():
    from decimal import Decimal

    from soclocal.budgeting.models import Bid, Process

    process = Process.objects.create(name="Matrix budget", slug="matrix-budget",
                                     budget=Decimal(1000), status=Process.Status.VOTING)
    bid = Bid.objects.create(process=process, reference="1", title="Garden", cost=Decimal(100),
                             status=Bid.Status.ACCEPTED)
    from soclocal.budgeting.models import Result

    Result.objects.create(process=process, rule="greedy", ballots=0, funded=["1"],
                          support={"1": "0"}, reasons={"1": "Funded"})
    return {"pb_process": process.pk, "pb_bid": bid.pk, "pb_slug": process.slug}


def url_kwargs(name, ctx):
    if name in ("budgeting:processes", "budgeting:process_new", "budgeting:process_import"):
        return None
    kwargs = {"pk": ctx.get("pb_process", 1)}
    if name in ("budgeting:bid_moderate", "budgeting:project_update"):
        kwargs["bid"] = ctx.get("pb_bid", 1)
    return kwargs


def api_path(template, ctx):
    return template.format(pk=ctx.get("pb_process", 1))
