import pytest
from django.db import connection

from soclocal.core import audit
from soclocal.core.models import AuditEvent


def _tamper(sql, params):
    with connection.cursor() as cur:
        cur.execute(sql, params)


@pytest.mark.django_db
def test_events_chain_and_verify():
    for i in range(5):
        audit.record("test.event", object_type="thing", object_id=str(i), detail={"i": i})
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == audit.GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    result = audit.verify()
    assert result.ok and result.count == 5


@pytest.mark.django_db
def test_orm_refuses_update_and_delete():
    event = audit.record("test.event")
    event.action = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


@pytest.mark.django_db
@pytest.mark.parametrize("column,value", [
    ("action", "nothing.happened"),
    ("actor", "someone-else"),
    ("purpose", "made up"),
    ("object_id", "999"),
])
def test_verify_names_the_altered_event(column, value):
    for i in range(4):
        audit.record("test.event", object_id=str(i), purpose="testing")
    target = AuditEvent.objects.get(seq=3)
    _tamper(f"UPDATE core_auditevent SET {column} = %s WHERE id = %s", [value, target.pk])
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == 3
    assert "altered" in result.reason


@pytest.mark.django_db
def test_verify_detects_a_removed_event_in_the_middle_and_at_the_end():
    for i in range(4):
        audit.record("test.event", object_id=str(i))
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [2])
    result = audit.verify()
    assert not result.ok and result.broken_seq == 3

    _tamper("DELETE FROM core_auditevent WHERE seq > %s", [0])
    audit.record("fresh")  # a forged restart of the chain
    result = audit.verify()
    assert not result.ok


@pytest.mark.django_db
def test_verify_detects_a_removed_last_event():
    for i in range(3):
        audit.record("test.event", object_id=str(i))
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [3])
    result = audit.verify()
    assert not result.ok
    assert "removed" in result.reason


@pytest.mark.django_db
def test_rehashing_an_altered_event_still_breaks_the_next_link():
    for i in range(3):
        audit.record("test.event", object_id=str(i))
    event = AuditEvent.objects.get(seq=2)
    event.action = "forged"
    forged_hash = audit.compute_hash(event)
    _tamper("UPDATE core_auditevent SET action = %s, hash = %s WHERE id = %s",
            ["forged", forged_hash, event.pk])
    result = audit.verify()
    assert not result.ok and result.broken_seq == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database (the PostgreSQL run)")
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def write(n):
        try:
            for i in range(10):
                audit.record("test.concurrent", object_id=f"{n}-{i}")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(8)))
    result = audit.verify()
    assert result.ok and result.count == 80
