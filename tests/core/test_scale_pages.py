"""List pages at scale: the synthetic records `soclocal generate-scale` writes, pages that
cost the same number of queries however many rows there are, and pagination with filters."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soclocal import cli
from soclocal.scale import generate, sizes

# Twice the rows of the first generation are added before the pages are counted again.
FEW, MORE = 0.0005, 0.001


@pytest.fixture
def few(db):
    return generate(FEW)


def test_generator_makes_the_sizes_asked_for_and_a_chain_that_verifies(db, capsys):
    from soclocal.budgeting.models import Ballot, Bid, Choice
    from soclocal.cases.models import Case, Referral, YoungPerson
    from soclocal.core.models import AuditEvent
    from soclocal.demo import load_people
    from soclocal.intelligence.models import IntelligenceReport

    load_people()  # the demo's accounts, which the generator's records belong to
    audit_before = AuditEvent.objects.count()
    assert cli.main(["generate-scale", "--scale", "0.002"]) == 0
    want = sizes(0.002)
    assert YoungPerson.objects.count() == want["young_people"] == 200
    assert Case.objects.count() == Referral.objects.count() == want["young_people"]
    assert IntelligenceReport.objects.count() == want["intelligence_reports"] == 40
    assert Bid.objects.count() == want["bids"] == 10
    assert Ballot.objects.count() == want["ballots"] == 100
    assert Choice.objects.count() == 100 * 3
    assert AuditEvent.objects.count() - audit_before == want["audit_events"] == 2000
    assert "Added 200 young people with 200 cases" in capsys.readouterr().out
    assert cli.main(["audit", "verify"]) == 0
    assert "is intact" in capsys.readouterr().out
    # Run again, it adds as many again, still on one chain.
    assert cli.main(["generate-scale", "--scale", "0.0005"]) == 0
    assert YoungPerson.objects.count() == 200 + sizes(0.0005)["young_people"]
    assert Bid.objects.count() == 10 + sizes(0.0005)["bids"]
    assert cli.main(["audit", "verify"]) == 0


def test_generator_refuses_a_scale_that_is_not_positive(db, capsys):
    assert cli.main(["generate-scale", "--scale", "0"]) == 2
    assert "--scale" in capsys.readouterr().err


def _user(username):
    from soclocal.accounts.models import User

    return User.objects.get(username=username)


def _pages():
    """(who, url) for each role's main list pages, over the generated records."""
    from soclocal.budgeting.models import Process
    from soclocal.responses.models import Plan

    fund = Process.objects.get(slug="scale-fund-001")
    plan = Plan.objects.filter(title="Response plan 1").order_by("pk").first()
    return [
        ("practitioner", reverse("core:home")),
        ("practitioner", reverse("cases:dashboard")),
        ("manager", reverse("cases:queue")),
        ("manager", reverse("core:home")),
        ("intel", reverse("intelligence:home")),
        ("intel", reverse("intelligence:home") + "?outcome=file"),
        ("intel", reverse("intelligence:entities")),
        ("facilitator", reverse("budgeting:processes")),
        ("facilitator", reverse("budgeting:process", args=[fund.pk])),
        ("facilitator", reverse("engagement:home")),
        ("admin", reverse("core:audit")),
        ("admin", reverse("accounts:people")),
        ("board", reverse("dashboards:board")),
        (None, reverse("community:process", args=[fund.slug])),
        (None, reverse("community:vote", args=[fund.slug])),
        ("practitioner", reverse("safeguarding:nrm_list")),
        ("intel", reverse("safeguarding:places")),
        ("intel", reverse("safeguarding:adults")),
        ("practitioner", reverse("safeguarding:mace")),
        ("manager", reverse("safeguarding:mace")),
        ("practitioner", reverse("safeguarding:maps")),
        ("analyst", reverse("safeguarding:indicators")),
        ("practitioner", reverse("partnership:directory")),
        ("practitioner", reverse("partnership:directory") + "?need=mentoring&age=14"),
        ("analyst", reverse("priorities:list")),
        ("practitioner", reverse("priorities:list") + "?kind=group"),
        ("practitioner", reverse("responses:plans")),
        ("practitioner", reverse("responses:ours")),
        ("practitioner", reverse("responses:plan", args=[plan.pk])),
        ("intel", reverse("intelligence:requirements")),
        ("practitioner", reverse("intelligence:requirements")),
    ]


def _queries(client, who, url):
    from django.core.cache import cache

    cache.clear()  # the board keeps its figures a while; count the queries that make them
    client.logout()
    if who:
        client.force_login(_user(who))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (who, url, response.status_code)
    return len(ctx.captured_queries)


def test_each_roles_main_pages_cost_the_same_queries_with_more_rows(few, client):
    pages = _pages()
    for page in pages:  # once first, so what is cached per process is cached
        _queries(client, *page)
    before = {page: _queries(client, *page) for page in pages}
    generate(MORE)  # three times the rows now
    after = {page: _queries(client, *page) for page in pages}
    grown = {page: (before[page], after[page]) for page in pages if after[page] != before[page]}
    assert not grown, f"queries grew with the rows: {grown}"
    # And they are few: no page runs a query a row (the board's figures are many, but fixed).
    assert max(after.values()) <= 100, after


def _links(html):
    return re.findall(r'href="\?([^"]*page=\d+)"', html)


def _table(html, caption):
    """The table with this caption (the work lists above it link to cases too)."""
    start = html.index(f">{caption}</caption>")
    return html[start:html.index("</table>", start)]


def _case_ids(html):
    return {int(i) for i in re.findall(r'href="/cases/(\d+)/"', html)}


def test_the_case_list_pages_with_the_filters_kept(db, client):
    from soclocal.cases.models import Case

    generate(0.0001, young_people=300)
    # The demo practitioner holds every case of the first synthetic team, all open.
    me = _user("practitioner")
    Case.objects.filter(owning_team__name="Locality Team 001").update(
        practitioner=me, status=Case.Status.OPEN, owning_team=me.team, owning_agency=me.agency)
    client.force_login(me)
    mine = Case.objects.filter(practitioner=me, status=Case.Status.OPEN).order_by(
        "-opened_at", "-pk")
    assert mine.count() > 100
    first = client.get(reverse("cases:dashboard")).content.decode()
    second = client.get(reverse("cases:dashboard") + "?page=2").content.decode()
    ids_1, ids_2 = (_case_ids(_table(html, "Your cases")) for html in (first, second))
    expected = list(mine.values_list("pk", flat=True))
    assert set(expected[:50]) <= ids_1 and set(expected[50:100]) <= ids_2
    assert not set(expected[50:100]) & ids_1
    assert 'class="govuk-pagination"' in first and 'rel="next"' in first
    assert 'aria-current="page">2<' in second


def test_intelligence_reports_filter_in_the_database_and_page_on(db, client):
    from soclocal.intelligence.models import IntelligenceReport

    generate(0.0001, intelligence_reports=200)
    for i, report in enumerate(IntelligenceReport.objects.order_by("pk")):
        IntelligenceReport.objects.filter(pk=report.pk).update(
            outcome="develop" if i % 3 == 0 else "file")
    client.force_login(_user("intel"))
    url = reverse("intelligence:home")
    filed = IntelligenceReport.objects.filter(outcome="file").order_by("-created_at", "-pk")
    assert filed.count() > 50
    page1 = client.get(url, {"outcome": "file"}).content.decode()
    page2 = client.get(url, {"outcome": "file", "page": 2}).content.decode()
    refs = list(filed.values_list("reference", flat=True))
    assert all(r in page1 for r in refs[:50]) and not any(r in page1 for r in refs[50:100])
    assert all(r in page2 for r in refs[50:100])
    others = IntelligenceReport.objects.exclude(outcome="file").values_list("reference", flat=True)
    assert not any(f">{r}<" in page1 + page2 for r in others)
    # The next page's link keeps the filter.
    assert any("outcome=file" in link and "page=2" in link for link in _links(page1))
    # A page number past the end shows the last page, not an error.
    assert client.get(url, {"outcome": "file", "page": 999}).status_code == 200


def test_bids_filter_by_status_and_page_on(db, client):
    from soclocal.budgeting.models import Bid, Process

    generate(0.0001, bids=100)  # the first fund's
    fund = Process.objects.get(slug="scale-fund-001")
    Bid.objects.filter(process=fund, reference__in=["B007", "B070"]).update(status="rejected")
    client.force_login(_user("facilitator"))
    url = reverse("budgeting:process", args=[fund.pk])
    # Accepted first, then rejected; 50 a page.
    page1 = client.get(url).content.decode()
    page2 = client.get(url, {"page": 2}).content.decode()
    assert ">B051</td>" in page1 and ">B052</td>" not in page1 and ">B007</td>" not in page1
    assert ">B052</td>" in page2 and ">B007</td>" in page2 and ">B051</td>" not in page2
    rejected = client.get(url, {"status": "rejected"}).content.decode()
    assert ">B007</td>" in rejected and ">B070</td>" in rejected and ">B001</td>" not in rejected
    assert "2 bids" in rejected


def test_the_directory_filters_a_need_in_the_database_and_pages_on(db, client):
    from soclocal.partnership.models import Service

    generate(0.0001, services=400)
    client.force_login(_user("practitioner"))
    url = reverse("partnership:directory")
    wanted = [s.name for s in Service.objects.filter(active=True).order_by("name", "pk")
              if "mentoring" in s.needs]
    assert len(wanted) > 50
    page1 = client.get(url, {"need": "mentoring"}).content.decode()
    page2 = client.get(url, {"need": "mentoring", "page": 2}).content.decode()
    shown = [re.findall(r'data-service="([^"]*)"', html) for html in (page1, page2)]
    assert shown[0] == wanted[:50] and shown[1] == wanted[50:100]
    assert f"{len(wanted)} services found" in page1
    assert any("need=mentoring" in link and "page=2" in link for link in _links(page1))


def test_the_ranked_priorities_page_on_in_rank_order(db, client):
    from soclocal.priorities import selectors

    generate(0.0001, threats=80)
    analyst = _user("analyst")
    client.force_login(analyst)
    whole = [r["threat"].pk for r in selectors.ranked(analyst)]
    assert len(whole) > 50
    url = reverse("priorities:list")
    pages = [client.get(url, {"page": n}).content.decode() for n in (1, 2)]
    ranks = [re.findall(r'--numeric">(\d+)</td>\s*<td class="govuk-table__cell"><a', html)
             for html in pages]
    links = [[int(i) for i in re.findall(r'href="/priorities/threats/(\d+)/"', html)]
             for html in pages]
    assert ranks[0] == [str(i) for i in range(1, 51)]
    assert ranks[1] == [str(i) for i in range(51, len(whole) + 1)]
    assert links[0] + links[1] == whole


def test_each_list_on_the_mace_page_pages_on_its_own(db, client):
    from soclocal.safeguarding.models import PanelMeeting, PeerGroupMap

    generate(0.0001, mace_referrals=700, peer_maps=60)
    client.force_login(_user("practitioner"))
    url = reverse("safeguarding:mace")
    panels = list(PanelMeeting.objects.order_by("-held_on", "-pk").values_list("pk", flat=True))
    maps = list(PeerGroupMap.objects.order_by("-updated_at", "pk").values_list("pk", flat=True))
    assert len(panels) > 50 and len(maps) > 50

    def shown(html, kind):
        return [int(i) for i in re.findall(rf'href="/vulnerability/{kind}/(\d+)/"', html)]

    html = client.get(url, {"panels_page": 2}).content.decode()
    assert shown(html, "mace/panels") == panels[50:100] and shown(html, "maps") == maps[:50]
    # The maps' next page keeps the panels' page.
    assert any("panels_page=2" in link and "maps_page=2" in link
               for link in re.findall(r'href="\?([^"]*)"', html))
    html = client.get(url, {"panels_page": 2, "maps_page": 2}).content.decode()
    assert shown(html, "mace/panels") == panels[50:100] and shown(html, "maps") == maps[50:]


def test_a_plans_actions_page_on_and_its_progress_counts_them_all(db, client):
    from soclocal.responses.models import Action, Plan

    generate(0.0001, threats=2, actions=10)
    plan = Plan.objects.order_by("pk").first()
    first = plan.actions.order_by("pk").first()
    strand = first.strand
    Action.objects.bulk_create([Action(
        plan=plan, strand=strand, title=f"Extra action {i}", owning_agency=first.owning_agency,
        due_date=first.due_date, status="done") for i in range(60)])
    total = plan.actions.count()
    client.force_login(_user("practitioner"))
    url = reverse("responses:plan", args=[plan.pk])
    pages = [client.get(url, {"page": n}).content.decode() for n in (1, 2)]
    seen = [re.findall(r'href="/plans/actions/(\d+)/"', html) for html in pages]
    assert len(seen[0]) == 50 and len(seen[1]) == total - 50
    assert not set(seen[0]) & set(seen[1])
    done = plan.actions.filter(status="done").count()
    assert f"{done} of {total} actions done." in pages[1]


def test_the_adults_page_audits_the_adults_it_shows(db, client):
    from soclocal.core.models import AuditEvent
    from soclocal.safeguarding.models import VulnerableAdult

    generate(0.0001, vulnerable_adults=70)
    client.force_login(_user("intel"))
    client.get(reverse("safeguarding:adults"), {"page": 2})
    event = AuditEvent.objects.filter(action="safeguarding.adults.viewed").latest("seq")
    order = list(VulnerableAdult.objects.order_by("last_name", "first_name", "pk")
                 .values_list("pk", flat=True))
    assert event.detail["adults"] == order[50:]


def test_an_agency_refused_on_the_adults_second_page_shows_that_page_again(db, client):
    from soclocal.safeguarding.models import VulnerableAdult

    generate(0.0001, vulnerable_adults=70)
    client.force_login(_user("intel"))
    url = reverse("safeguarding:adults")
    order = list(VulnerableAdult.objects.order_by("last_name", "first_name", "pk"))
    later = order[60]
    page2 = client.get(url, {"page": 2}).content.decode()
    action = reverse("safeguarding:adult_involvement", args=[later.pk]) + "?page=2"
    assert f'action="{action}"' in page2
    refused = client.post(action, {"agency": "", "role": ""})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert f'action="{action}"' in html and 'aria-current="page">2<' in html


def test_the_requirements_lists_page_on_their_own(db, client):
    from soclocal.intelligence.models import Requirement

    generate(0.0001, requirements=700)
    url = reverse("intelligence:requirements")
    asked = list(Requirement.objects.filter(status="open").order_by("due_on", "pk")
                 .values_list("reference", flat=True))
    set_ = list(Requirement.objects.exclude(status="closed").order_by("due_on", "pk")
                .values_list("reference", flat=True))
    assert len(asked) > 50 and len(set_) > 100

    def shown(html):
        return re.findall(r'href="/intelligence/requirements/\d+/">([^<]*)<', html)

    client.force_login(_user("practitioner"))
    assert shown(client.get(url, {"tasked_page": 2}).content.decode()) == asked[50:100]
    client.force_login(_user("intel"))
    html = client.get(url, {"set_page": 3}).content.decode()
    assert shown(html) == set_[100:150]
    assert any("set_page=3" in link for link in re.findall(r'href="\?([^"]*)"', html))
