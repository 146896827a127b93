"""The home page's work queue, role by role: what needs each person today, within their
access, with cases named by reference and nothing personal for the board."""

from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from soclocal.core.access import Role
from tests.cases.conftest import person_data, referral_data


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.fixture
def staff(make_user):
    return {
        "practitioner": make_user(Role.PRACTITIONER),
        "other_practitioner": make_user(Role.PRACTITIONER),
        "manager": make_user(Role.MANAGER),
        "police_manager": make_user(Role.MANAGER, agency="police"),
        "mentor": make_user(Role.PEER_MENTOR, agency="police", team=False),
        "board": make_user(Role.BOARD_MEMBER),
        "facilitator": make_user(Role.COMMUNITY_FACILITATOR),
        "admin": make_user(Role.PARTNERSHIP_ADMIN),
        "analyst": make_user(Role.ANALYST),
    }


def _case(staff, *, accepted_days_ago, practitioner="practitioner", **person):
    from soclocal.cases import services
    from soclocal.cases.models import Referral

    referral = services.record_referral(staff["practitioner"], person=person_data(**person),
                                        **referral_data())
    services.triage(staff["manager"], referral, decision="accept")
    services.allocate(staff["manager"], referral.case, practitioner=staff[practitioner],
                      peer_mentor=staff["mentor"])
    then = timezone.now() - timedelta(days=accepted_days_ago)
    Referral.objects.filter(pk=referral.pk).update(received_at=then, decided_at=then)
    referral.case.refresh_from_db()
    return referral.case


def test_a_practitioner_sees_their_overdue_contact_by_case_reference(client, staff):
    overdue = _case(staff, accepted_days_ago=20)
    theirs = _case(staff, accepted_days_ago=20, practitioner="other_practitioner",
                   first_name="Skye", last_name="Otherby")
    page = home(client, staff["practitioner"])
    assert "What needs you today" in page
    assert "Contacts due" in page and f"Case {overdue.pk}: first contact due" in page
    assert "Overdue" in page and reverse("cases:case", args=[overdue.pk]) in page
    # Their colleague's case is the colleague's work, and no young person is named.
    assert f"Case {theirs.pk}:" not in page
    assert "Rowan" not in page and "Testerby" not in page and "Skye" not in page
    # Once the first contact is recorded it leaves the queue.
    from soclocal.cases import services

    services.record_contact(staff["practitioner"], overdue,
                            happened_on=timezone.localdate(), duration_minutes=30,
                            kind="one_to_one")
    assert f"Case {overdue.pk}: first contact due" not in home(client, staff["practitioner"])
    # The peer mentor on the case sees it too (their own case), by reference only.
    mentor_page = home(client, staff["mentor"])
    assert f"Case {theirs.pk}: first contact due" in mentor_page and "Skye" not in mentor_page


def test_a_manager_sees_approvals_and_referrals_waiting_in_their_team_only(client, staff):
    from soclocal.cases import services

    case = _case(staff, accepted_days_ago=5)
    services.request_closure(staff["practitioner"], case, reason="goals_met",
                             summary="Goals met; back at school.")
    referral = services.record_referral(staff["practitioner"], person=person_data(
        first_name="Jem", last_name="Newby"), **referral_data())
    page = home(client, staff["manager"])
    assert f"Case {case.pk}: a closure to approve" in page and "Approvals" in page
    assert "1 referral waiting for triage" in page and reverse("cases:queue") in page
    assert "Jem" not in page and "Rowan" not in page
    # Approvals are a manager's, not the practitioner's; other agencies' managers see none.
    assert "to approve" not in home(client, staff["practitioner"])
    police = home(client, staff["police_manager"])
    assert f"Case {case.pk}" not in police and "waiting for triage" not in police
    assert "Nothing needs you today." in police
    services.triage(staff["manager"], referral, decision="accept")
    page = home(client, staff["manager"])
    assert "waiting for triage" not in page
    assert f"Case {referral.case.pk}: no practitioner allocated" in page


def test_a_board_member_sees_nothing_personal(client, staff):
    _case(staff, accepted_days_ago=20)
    page = home(client, staff["board"])
    assert "Nothing needs you today." in page
    assert "Case " not in page and "Rowan" not in page and "Testerby" not in page


def test_a_facilitator_sees_bids_votes_closing_events_and_join_requests(client, staff,
                                                                        make_user):
    from soclocal.budgeting.models import Bid, Process
    from soclocal.engagement import services
    from soclocal.engagement.models import Event

    today = timezone.localdate()
    facilitator = staff["facilitator"]
    bidding = Process.objects.create(name="Bulwell fund", slug="bulwell", budget=Decimal(1000),
                                     status=Process.Status.BIDDING,
                                     bids_close=today + timedelta(days=9))
    Bid.objects.create(process=bidding, reference="1", title="Garden", cost=Decimal(100),
                       contact_email="bidder@example.org")
    Process.objects.create(name="Clifton vote", slug="clifton", budget=Decimal(1000),
                           status=Process.Status.VOTING, voting_close=today + timedelta(days=3))
    Process.objects.create(name="Later vote", slug="later", budget=Decimal(1000),
                           status=Process.Status.VOTING, voting_close=today + timedelta(days=30))
    services.create_event(facilitator, kind=Event.Kind.WORLD_CAFE, title="Café in Clifton",
                          date=today + timedelta(days=4), place="Library")
    group = services.create_group(facilitator, name="Clifton voice")
    services.ask_to_join(group, name="Rosa Li", contact="rosa@example.org")
    page = home(client, facilitator)
    assert "1 bid waiting for a decision in Bulwell fund" in page
    assert "Voting closes soon" in page and "Clifton vote closes; 0 ballots so far" in page
    assert "Later vote" not in page
    assert "World Café: Café in Clifton · Library" in page
    assert "1 resident asking to join Clifton voice" in page
    assert reverse("engagement:join_requests", args=[group.pk]) in page
    # The queue says that someone asked, not who: their details are on the audited page.
    assert "Rosa" not in page and "bidder@example.org" not in page
    # Another facilitator does not facilitate the group, so its requests are not theirs.
    other = home(client, make_user(Role.COMMUNITY_FACILITATOR))
    assert "asking to join" not in other and "1 bid waiting" in other


def test_an_admin_sees_locked_accounts_and_an_analyst_their_failed_import(client, staff):
    from axes.models import AccessAttempt
    from django.conf import settings

    from soclocal.core.models import Job

    AccessAttempt.objects.create(username=staff["practitioner"].username, ip_address="127.0.0.1",
                                 user_agent="test", failures_since_start=settings.AXES_FAILURE_LIMIT,
                                 get_data="", post_data="", http_accept="", path_info="/sign-in/")
    page = home(client, staff["admin"])
    assert "Locked accounts" in page
    assert reverse("accounts:person", args=[staff["practitioner"].pk]) in page
    assert "Locked accounts" not in home(client, staff["manager"])
    Job.objects.create(kind="crime", title="Import of 2025-10 street crime",
                       owner=staff["analyst"], status=Job.Status.FAILED,
                       finished_at=timezone.now())
    page = home(client, staff["analyst"])
    assert "Import of 2025-10 street crime did not finish" in page
    assert "did not finish" not in home(client, staff["admin"])


def test_a_long_queue_shows_the_most_pressing_and_says_how_many_there_are(client, staff):
    from soclocal.core.views import WORK_SHOWN

    cases = [_case(staff, accepted_days_ago=20 + n) for n in range(WORK_SHOWN + 2)]
    page = home(client, staff["practitioner"])
    assert page.count('<li class="app-work-item') == WORK_SHOWN
    # Each case waits for its first contact and its assessment.
    assert f"The {WORK_SHOWN} most pressing of {2 * len(cases)} things" in page
    # The longest overdue come first.
    assert f"Case {cases[-1].pk}: first contact due" in page


def test_see_all_lists_every_item_so_work_due_weeks_ahead_can_be_found(client, staff):
    from soclocal.core.views import WORK_SHOWN

    cases = [_case(staff, accepted_days_ago=20 + n) for n in range(WORK_SHOWN + 2)]
    page = home(client, staff["practitioner"])
    assert f'href="?work=all#work-heading" id="work-all">See all {2 * len(cases)}' in page
    everything = unescape(client.get(reverse("core:home") + "?work=all").content.decode())
    assert everything.count('<li class="app-work-item') == 2 * len(cases)
    # The least pressing, hidden from the short list, is in the full one.
    assert f"Case {cases[0].pk}: assessment due" not in page
    assert f"Case {cases[0].pk}: assessment due" in everything
    assert "See all" not in everything
