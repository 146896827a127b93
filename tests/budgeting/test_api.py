from soclocal.budgeting import services
from soclocal.core.access import Role


def test_result_over_the_api_has_reasons_and_nothing_personal(client, make_user, voting_process,
                                                              codes):
    for code in codes(3):
        services.cast_ballot(voting_process, code, ["1", "3"])
    facilitator = make_user(Role.COMMUNITY_FACILITATOR)
    services.compute_result(facilitator, voting_process)
    client.force_login(facilitator)
    listing = client.get("/api/v1/budgeting/processes").json()
    assert listing[0]["ballots"] == 3
    response = client.get(f"/api/v1/budgeting/processes/{voting_process.pk}/result")
    data = response.json()
    assert {b["reference"] for b in data["bids"] if b["funded"]} == {"1", "3"}
    assert all(b["reason"] for b in data["bids"]) and "example.org" not in response.content.decode()
    client.force_login(make_user(Role.ANALYST))
    assert client.get("/api/v1/budgeting/processes").status_code == 403
