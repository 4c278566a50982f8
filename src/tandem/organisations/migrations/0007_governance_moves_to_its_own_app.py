"""The governance records move to the governance app (issue 11): removed from this app's state
only. Their tables stay as they are, now owned by `governance` (its 0001 sets each `db_table`
to the table named here), so no row is touched."""

from django.db import migrations

# Records that point at another moved record come before it: a model is removed from the state
# only once nothing left in it points at that model.
MOVED_MODELS = [
    "PolicyAcknowledgement",
    "Policy",
    "ModelOfWorkReview",
    "GovernanceAction",
    "PerformanceReport",
    "GovernanceMeeting",
    "Agreement",
    "OnCallShift",
    "Complaint",
    "FeedbackEntry",
    "EdiReview",
]


class Migration(migrations.Migration):
    dependencies = [("organisations", "0006_hr_role_group")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name=name) for name in MOVED_MODELS],
            database_operations=[],
        )
    ]
