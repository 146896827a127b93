"""The load test's users: each role's main pages, as that role, over the generated records.

Run through `bench/load/run.py`, which starts the server, signs each role in and passes the
session keys and record ids in LOAD_CONTEXT (a JSON file). Every response time is kept with
its role and page and written to LOAD_SAMPLES when the run ends, so the runner can give
percentiles per role as well as per page.
"""

import json
import os

from locust import HttpUser, between, events, task

CONTEXT = json.loads(open(os.environ["LOAD_CONTEXT"]).read())
SAMPLES = []


@events.request.add_listener
def _keep(request_type, name, response_time, response_length, response=None, exception=None,
          context=None, **kwargs):
    role, _, page = name.partition(" ")
    SAMPLES.append((role, page, response_time, exception is None))


@events.quitting.add_listener
def _write(environment, **kwargs):
    with open(os.environ["LOAD_SAMPLES"], "w") as f:
        json.dump(SAMPLES, f)


def role_user(role, pages):
    """A user of `role` who opens one of `pages` (name, path) after another."""

    class RoleUser(HttpUser):
        wait_time = between(0, 0.5)
        abstract = False

        def on_start(self):
            session = CONTEXT["sessions"].get(role)
            if session:
                self.client.cookies.set(CONTEXT["cookie"], session)

        @task
        def browse(self):
            for name, path in pages:
                with self.client.get(path, name=f"{role} {name}", catch_response=True,
                                     allow_redirects=False) as r:
                    if r.status_code != 200:
                        r.failure(f"{path}: {r.status_code}")

    RoleUser.__name__ = f"{role.title()}User"
    return RoleUser


P = CONTEXT["paths"]
PractitionerUser = role_user("practitioner", [("home", "/"), ("cases", "/cases/"),
                                              ("cases-page-2", "/cases/?page=2")])
AnalystUser = role_user("analyst", [("profiles", "/profiles/"), ("areas", "/areas/")])
IntelUser = role_user("intel", [("intelligence", "/intelligence/"),
                                ("reports-filtered", "/intelligence/?outcome=file&page=3"),
                                ("entities", "/intelligence/entities/")])
FacilitatorUser = role_user("facilitator", [("budgets", "/budgeting/"),
                                            ("bids", P["process"]), ("engagement", "/engagement/")])
BoardUser = role_user("board", [("dashboard", "/board/")])
PublicUser = role_user("public", [("bid-page", P["public_process"]), ("vote", P["vote"])])
AdminUser = role_user("admin", [("audit-log", "/audit/"), ("accounts", "/people/")])
