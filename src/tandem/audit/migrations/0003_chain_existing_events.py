"""Chain the events recorded before the trail was chained, oldest first, and set the chain head.

Reversing leaves the hashes in place: 0002's reversal drops their columns.
"""

from django.db import migrations

from tandem.audit.chain import GENESIS, VERIFY_BATCH_SIZE, event_hash, events_in_chain_order


def chain_existing_events(apps, schema_editor):
    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditChainHead")
    previous_hash, last_id = GENESIS, None
    for event in events_in_chain_order(event_model, VERIFY_BATCH_SIZE):
        chained = event_hash(event, previous_hash)
        event_model.objects.filter(pk=event.pk).update(previous_hash=previous_hash, hash=chained)
        previous_hash, last_id = chained, event.pk
    head_model.objects.update_or_create(
        pk=1, defaults={"last_event_id": last_id, "last_hash": previous_hash}
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain")]

    operations = [migrations.RunPython(chain_existing_events, migrations.RunPython.noop)]
