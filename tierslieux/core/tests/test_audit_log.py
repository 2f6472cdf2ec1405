"""The audit log is append-only: the model, its queryset, the Django admin and, on
PostgreSQL, a trigger refuse any change or deletion; a deleted user only loses their name."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from tierslieux.core import audit
from tierslieux.core.append_only import AppendOnlyError
from tierslieux.core.models import AuditEntry

# The append-only trigger exists on PostgreSQL only: the SQLite pass leaves these tests out.
on_postgresql = pytest.mark.postgres_only


@pytest.fixture
def entry(coordinator, place) -> AuditEntry:
    return audit.record(
        actor=coordinator, action="place.update", obj=place, place_id=place.pk, changes={"a": 1}
    )


def test_an_entry_is_written_at_the_project_clock(clock, coordinator, place):
    at = clock.set(clock.now().replace(microsecond=0))
    entry = audit.record(actor=coordinator, action="place.update", obj=place)
    assert AuditEntry.objects.get(pk=entry.pk).at == at


def test_an_entry_cannot_be_saved_again_nor_deleted(entry):
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "place.update"


def test_the_queryset_refuses_update_delete_and_bulk_update(entry):
    entries = AuditEntry.objects.filter(pk=entry.pk)
    with pytest.raises(AppendOnlyError):
        entries.update(action="forged")
    with pytest.raises(AppendOnlyError):
        entries.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["action"])
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"action": "forged"})
    assert AuditEntry.objects.get(pk=entry.pk).action == "place.update"


def test_deleting_a_user_keeps_their_entries_without_their_name(entry, coordinator):
    other = audit.record(actor=None, action="x", obj=entry)
    coordinator.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor_id is None
    assert (entry.action, entry.changes) == ("place.update", {"a": 1})
    assert AuditEntry.objects.filter(pk=other.pk).exists()


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditentry SET action = 'forged' WHERE id = %(id)s",
        "UPDATE core_auditentry SET actor_id = NULL, action = 'forged' WHERE id = %(id)s",
        "UPDATE core_auditentry SET actor_id = %(other)s WHERE id = %(id)s",
        "UPDATE core_auditentry SET at = at - interval '1 day' WHERE id = %(id)s",
        "DELETE FROM core_auditentry WHERE id = %(id)s",
    ],
)
def test_on_postgresql_the_database_refuses_raw_changes_and_deletions(entry, staff, sql):
    refused = pytest.raises(IntegrityError, match="append_only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, {"id": entry.pk, "other": staff.pk})
    assert AuditEntry.objects.filter(pk=entry.pk, action="place.update").exists()


@on_postgresql
def test_on_postgresql_the_trigger_lets_only_the_actor_be_set_to_null(entry):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET actor_id = NULL WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).actor_id is None


def test_the_django_admin_shows_entries_but_neither_adds_changes_nor_deletes_them(client, entry):
    client.force_login(get_user_model().objects.create_superuser("root@example.org", "x"))
    change = reverse("admin:core_auditentry_change", args=[entry.pk])
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change, {"action": "forged"}).status_code == 403
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    delete = reverse("admin:core_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:core_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert AuditEntry.objects.get(pk=entry.pk).action == "place.update"
