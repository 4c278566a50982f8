"""Governance's records left `tandem.organisations` for their own app (issue 11) with their
tables kept: a database from before the move keeps every row through it, and the audit trail
still finds each record (its content type is renamed, not replaced)."""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tandem.audit.models import AuditEvent
from tandem.governance.models import Complaint, Policy

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("organisations", "0006_hr_role_group"), ("governance", None)]
MOVED_TABLES = ["organisations_policy", "organisations_complaint", "audit_auditevent"]
RECORDED = datetime(2026, 3, 2, 10, tzinfo=UTC)


def migrate(targets: list[tuple[str, str | None]] | None = None) -> MigrationExecutor:
    """Migrate to `targets` (every app's latest migration when None)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return int(cursor.fetchone()[0])


@pytest.fixture
def database_before_the_move() -> Iterator[MigrationExecutor]:
    """The schema as it stood before the move; always migrated back to the latest after."""
    try:
        yield migrate(BEFORE_THE_MOVE)
    finally:
        migrate()


def test_a_database_from_before_the_move_keeps_its_governance_rows_and_their_audit_trail(
    database_before_the_move: MigrationExecutor,
) -> None:
    # Written with the models as they were: governance records in the organisations app.
    graph = database_before_the_move.loader.graph
    every_other_app = [node for node in graph.leaf_nodes() if node[0] not in dict(BEFORE_THE_MOVE)]
    old = database_before_the_move.loader.project_state(
        [*every_other_app, ("organisations", "0006_hr_role_group")]
    ).apps
    user = old.get_model("auth", "User").objects.create(username="synthetic-manager")
    organisation = old.get_model("organisations", "Organisation").objects.create(
        name="Synthetic Migration Services (not real)"
    )
    service = old.get_model("organisations", "Service").objects.create(
        organisation=organisation,
        name="Synthetic DAPP",
        jurisdiction="england-and-wales",
        delivery="group",
        iss_provision="internal",
    )
    policy = old.get_model("organisations", "Policy").objects.create(
        service=service,
        required_policy="a",
        title="Safeguarding policy (synthetic)",
        version_label="v1",
        owner=user,
        approved_on=date(2026, 3, 1),
        next_review_on=date(2029, 3, 1),
        document="policies/synthetic.pdf",
        document_name="synthetic.pdf",
        document_kind="pdf",
        document_sha256="0" * 64,
        document_size=1,
        recorded_by=user,
        recorded_at=RECORDED,
    )
    old.get_model("organisations", "Complaint").objects.create(
        service=service,
        received_on=date(2026, 3, 2),
        complainant="A synthetic complainant",
        summary="Synthetic complaint",
        response_working_days=20,
        response_due_on=date(2026, 3, 30),
        recorded_by=user,
    )
    # Reversing the move gave the content type back to organisations, as it was then.
    policy_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="organisations", model="policy"
    )
    old.get_model("audit", "AuditEvent").objects.create(
        actor=user,
        actor_label=user.username,
        action="created",
        content_type=policy_type,
        object_id=str(policy.pk),
        object_repr=policy.title,
    )
    before = {table: rows(table) for table in MOVED_TABLES}

    migrate()

    assert {table: rows(table) for table in MOVED_TABLES} == before
    assert Policy.objects.get(pk=policy.pk).title == "Safeguarding policy (synthetic)"
    assert Complaint.objects.get().summary == "Synthetic complaint"
    event = AuditEvent.objects.get(object_id=str(policy.pk), content_type_id=policy_type.pk)
    moved_type = event.content_type
    assert moved_type is not None
    assert (moved_type.app_label, moved_type.model) == ("governance", "policy")
    assert moved_type.get_object_for_this_type(pk=policy.pk) == Policy.objects.get()
