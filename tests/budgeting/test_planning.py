"""The residents' planning group recorded on a process."""

from decimal import Decimal

from django.urls import reverse

from soclocal.budgeting import services
from soclocal.core.models import AuditEvent


def _form(process, **overrides):
    data = {"name": process.name, "budget": "10000", "currency": "GBP",
            "ballot_kind": "approval", "min_choices": "1", "rule": "greedy",
            "status": "draft", "residents_who_planned": "40",
            "planning_notes": "Planned three voting events"}
    data.update(overrides)
    return data


def test_the_coordinator_records_how_many_residents_planned(client, facilitator):
    process = services.create_process(facilitator, name="Meadows fund", budget=Decimal(10000))
    client.force_login(facilitator)
    url = reverse("budgeting:process_edit", args=[process.pk])
    assert client.post(url, _form(process)).status_code == 302
    process.refresh_from_db()
    assert process.residents_who_planned == 40
    assert process.planning_notes == "Planned three voting events"
    page = client.get(reverse("budgeting:process", args=[process.pk])).content.decode()
    assert "Residents who planned it" in page and "Planned three voting events" in page
    changed = AuditEvent.objects.filter(action="budgeting.process_changed").last()
    assert "residents_who_planned" in changed.detail["fields"]


def test_a_negative_or_non_numeric_count_is_refused_and_the_form_keeps_the_input(
        client, facilitator):
    process = services.create_process(facilitator, name="Meadows fund", budget=Decimal(10000))
    client.force_login(facilitator)
    url = reverse("budgeting:process_edit", args=[process.pk])
    page = client.post(url, _form(process, residents_who_planned="-3")).content.decode()
    assert "Residents who planned the process must be 0 or more." in page
    assert 'value="-3"' in page and "Planned three voting events" in page
    page = client.post(url, _form(process, residents_who_planned="forty")).content.decode()
    assert "Enter a whole number" in page
    page = client.post(url, _form(process, residents_who_planned="9" * 25)).content.decode()
    assert "must be 100,000 or fewer" in page and "9223372036854775807" not in page
    assert f'value="{"9" * 25}"' in page
    process.refresh_from_db()
    assert process.residents_who_planned == 0
