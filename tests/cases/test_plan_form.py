"""The plan form: actions linked to goals, and more rows without JavaScript."""

import pytest
from django.urls import reverse

from soclocal.cases import star
from soclocal.cases.models import PlanAction

pytestmark = pytest.mark.django_db


def _post(areas, rows, **values):
    data = {"action_rows": str(rows)}
    data.update(values)
    return data


def test_actions_are_saved_against_the_goal_chosen_for_each(people, open_case, login):
    client = login(people["practitioner"])
    areas = list(star.default_instrument().areas.all())
    time_area, family_area = areas[7], areas[4]
    response = client.post(reverse("cases:plan", args=[open_case.pk]), _post(areas, 3, **{
        f"goal_{time_area.pk}": "Go to boxing every week",
        f"goal_{family_area.pk}": "Rebuild trust at home",
        "action_0_goal": str(family_area.pk), "action_0_for": "family",
        "action_0_kind": "support_network", "action_0_description": "Parents' drop-in",
        "action_0_owner": "Key worker",
        "action_1_goal": str(time_area.pk), "action_1_for": "young_person",
        "action_1_kind": "diversionary", "action_1_description": "Boxing taster",
        "action_1_owner": "Peer mentor",
        "action_2_for": "young_person", "action_2_kind": "skills",
        "action_2_description": "CV workshop", "action_2_owner": "Key worker"}))
    assert response.status_code == 302
    plan = open_case.plans.get()
    by_text = {a.description: a for a in PlanAction.objects.filter(plan=plan)}
    assert by_text["Parents' drop-in"].goal.star_area == family_area
    assert by_text["Boxing taster"].goal.star_area == time_area
    assert by_text["CV workshop"].goal is None


def test_add_another_action_keeps_what_was_typed_and_saves_nothing(people, open_case, login):
    client = login(people["practitioner"])
    areas = list(star.default_instrument().areas.all())
    url = reverse("cases:plan", args=[open_case.pk])
    response = client.post(url, _post(areas, 3, add_action="1", **{
        f"goal_{areas[0].pk}": "A safe place to live",
        "action_2_description": "Meet the housing officer", "action_2_owner": "Key worker"}))
    assert response.status_code == 200
    assert open_case.plans.count() == 0
    html = response.content.decode()
    assert 'name="action_3_description"' in html and 'name="action_4_description"' not in html
    assert "A safe place to live" in html and "Meet the housing officer" in html
    assert 'name="action_rows" value="4"' in html
    assert "govuk-error-summary" not in html


def test_an_action_for_a_goal_left_empty_is_refused_with_the_form_kept(people, open_case,
                                                                       login):
    client = login(people["practitioner"])
    areas = list(star.default_instrument().areas.all())
    response = client.post(reverse("cases:plan", args=[open_case.pk]), _post(areas, 3, **{
        f"goal_{areas[1].pk}": "Cook a meal each week",
        "action_0_goal": str(areas[2].pk), "action_0_kind": "health",
        "action_0_description": "GP appointment", "action_0_owner": "Key worker"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "GP appointment" in html
    assert open_case.plans.count() == 0


def test_a_new_version_starts_from_the_last_plan_with_a_spare_row(people, open_case, login):
    from soclocal.cases import services

    areas = list(star.default_instrument().areas.all())
    services.save_plan(people["practitioner"], open_case,
                       goals=[(areas[7], "Weekly football")],
                       actions=[{"for_whom": "young_person", "kind": "diversionary",
                                 "description": "Friday football", "owner": "Mentor",
                                 "goal_index": 0}] * 4)
    client = login(people["practitioner"])
    html = client.get(reverse("cases:plan", args=[open_case.pk])).content.decode()
    assert "Weekly football" in html
    assert 'name="action_4_description"' in html and 'name="action_5_description"' not in html
    assert f'<option value="{areas[7].pk}" selected>' in html


def test_the_row_count_cannot_be_inflated(people, open_case, login):
    client = login(people["practitioner"])
    areas = list(star.default_instrument().areas.all())
    response = client.post(reverse("cases:plan", args=[open_case.pk]),
                           _post(areas, 10_000, add_action="1"))
    assert response.status_code == 200
    assert 'name="action_30_description"' not in response.content.decode()
