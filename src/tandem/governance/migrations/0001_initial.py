"""The governance records, moved here from `tandem.organisations` (issue 11) into this app's
state only: each keeps its table (`db_table`), index and constraint names, so no row is touched.

The content types of the moved models are renamed from `organisations` to `governance` (and
back when this is reversed): audit events point at records through their content type, and
auth permissions follow it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import tandem.governance.models

# The moved models, as content types name them.
MOVED_MODELS = [
    "agreement",
    "complaint",
    "edireview",
    "feedbackentry",
    "governanceaction",
    "governancemeeting",
    "modelofworkreview",
    "oncallshift",
    "performancereport",
    "policy",
    "policyacknowledgement",
]


def _relabel(apps, *, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label=old, model__in=MOVED_MODELS).update(app_label=new)


def content_types_to_governance(apps, schema_editor):
    _relabel(apps, old="organisations", new="governance")


def content_types_to_organisations(apps, schema_editor):
    _relabel(apps, old="governance", new="organisations")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("organisations", "0007_governance_moves_to_its_own_app"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Agreement",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("information_sharing", "Information sharing agreement"),
                                    (
                                        "iss_partnership",
                                        "Partnership agreement with an external ISS (R22 C1.7)",
                                    ),
                                    (
                                        "service_level",
                                        "Service level agreement with a specialist service (R22 D1.2)",
                                    ),
                                ],
                                max_length=24,
                            ),
                        ),
                        ("title", models.CharField(max_length=200)),
                        (
                            "parties",
                            models.TextField(help_text="The organisations party to it, one a line"),
                        ),
                        ("signed_on", models.DateField()),
                        ("review_on", models.DateField()),
                        (
                            "ended_on",
                            models.DateField(
                                blank=True,
                                help_text="When it ended or was replaced: no review due after",
                                null=True,
                            ),
                        ),
                        ("recorded_at", models.DateTimeField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "service",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="agreements",
                                to="organisations.service",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_agreement",
                        "ordering": ["service", "review_on", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Complaint",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("received_on", models.DateField()),
                        (
                            "complainant",
                            models.CharField(
                                help_text="Who complained, e.g. service user, survivor, professional",
                                max_length=200,
                            ),
                        ),
                        ("summary", models.TextField()),
                        ("response_working_days", models.PositiveSmallIntegerField(default=20)),
                        ("response_due_on", models.DateField()),
                        ("investigation", models.TextField(blank=True)),
                        (
                            "outcome",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("upheld", "Upheld"),
                                    ("partly_upheld", "Partly upheld"),
                                    ("not_upheld", "Not upheld"),
                                    ("withdrawn", "Withdrawn"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("responded_on", models.DateField(blank=True, null=True)),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "investigator",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "service",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="complaints",
                                to="organisations.service",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_complaint",
                        "ordering": ["service", "-received_on", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="EdiReview",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("framework", "Equalities framework (every 3 years)"),
                                    ("diversity_goals", "Diversity goals (at least annually)"),
                                    (
                                        "service_user_profile",
                                        "Service-user profile (at least annually)",
                                    ),
                                ],
                                max_length=24,
                            ),
                        ),
                        ("reviewed_on", models.DateField()),
                        ("summary", models.TextField()),
                        ("recorded_at", models.DateTimeField()),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "service",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="edi_reviews",
                                to="organisations.service",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_edireview",
                        "ordering": ["service", "kind", "-reviewed_on", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="FeedbackEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("received_on", models.DateField()),
                        (
                            "method",
                            models.CharField(
                                choices=[
                                    ("form", "Feedback form"),
                                    ("focus_group", "Focus group"),
                                    ("interview", "Interview or conversation"),
                                    ("compliment", "Compliment"),
                                    ("other", "Other"),
                                ],
                                max_length=16,
                            ),
                        ),
                        (
                            "from_side",
                            models.CharField(
                                choices=[
                                    ("perpetrator", "Perpetrator intervention"),
                                    ("iss", "ISS"),
                                ],
                                help_text="Which part of the service the feedback is about",
                                max_length=16,
                            ),
                        ),
                        ("theme", models.CharField(max_length=100)),
                        ("summary", models.TextField()),
                        ("change_made", models.TextField(blank=True)),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "service",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="feedback",
                                to="organisations.service",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_feedbackentry",
                        "ordering": ["service", "-received_on", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="GovernanceMeeting",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("held_on", models.DateField()),
                        (
                            "body",
                            models.CharField(help_text="e.g. Board of trustees", max_length=200),
                        ),
                        ("minutes", models.TextField()),
                        ("recorded_at", models.DateTimeField()),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "service",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="governance_meetings",
                                to="organisations.service",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_governancemeeting",
                        "ordering": ["service", "-held_on", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="GovernanceAction",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("description", models.TextField()),
                        ("due_on", models.DateField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("done", "Done"),
                                    ("dropped", "Dropped"),
                                ],
                                default="open",
                                max_length=16,
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="actions",
                                to="governance.governancemeeting",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_governanceaction",
                        "ordering": ["due_on", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ModelOfWorkReview",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("version_label", models.CharField(max_length=40)),
                        ("reviewed_on", models.DateField()),
                        ("summary_of_changes", models.TextField()),
                        ("consultation", models.TextField(help_text="Who was consulted and how")),
                        ("recorded_at", models.DateTimeField()),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "service",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="model_of_work_reviews",
                                to="organisations.service",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_modelofworkreview",
                        "ordering": ["service", "-reviewed_on", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Policy",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "required_policy",
                            models.CharField(
                                choices=[
                                    (
                                        "a",
                                        "a. Health and safety policy (covering safety for staff and service users); lone working and home visits policy; a procedure for staff in responding to abuse from service users",
                                    ),
                                    (
                                        "b",
                                        "b. Equal opportunities and diversity strategy; equal opportunities, diversity and inclusion policies for service delivery and employment",
                                    ),
                                    (
                                        "c",
                                        "c. Confidentiality, data protection and information-sharing policies; procedure and guidelines on sharing information internally and externally; multiagency information sharing protocols; response to serious incident or case review",
                                    ),
                                    (
                                        "d",
                                        "d. Safeguarding children and vulnerable adults policy and procedure",
                                    ),
                                    (
                                        "e",
                                        "e. Risk management policy and procedure, relating to the cases the intervention is aimed at",
                                    ),
                                    ("f", "f. Complaints policy and procedure"),
                                    (
                                        "g",
                                        "g. Policy and procedure on the use and domestic abuse training of interpreters, signers, etc.",
                                    ),
                                    ("h", "h. Code of conduct for staff"),
                                    ("i", "i. Disciplinary and grievance policy and procedure"),
                                    ("j", "j. Record keeping policy and procedure"),
                                    (
                                        "k",
                                        "k. Policy covering practice management and clinical supervision",
                                    ),
                                ],
                                max_length=1,
                            ),
                        ),
                        ("title", models.CharField(max_length=200)),
                        ("version_label", models.CharField(max_length=40)),
                        (
                            "approved_on",
                            models.DateField(
                                help_text="When the governing body approved this version"
                            ),
                        ),
                        ("next_review_on", models.DateField()),
                        (
                            "document",
                            models.FileField(
                                max_length=200,
                                upload_to=tandem.governance.models.policy_document_path,
                            ),
                        ),
                        ("document_name", models.CharField(max_length=255)),
                        ("document_kind", models.CharField(max_length=8)),
                        ("document_sha256", models.CharField(max_length=64)),
                        ("document_size", models.PositiveIntegerField()),
                        ("recorded_at", models.DateTimeField()),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "service",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="policies",
                                to="organisations.service",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_policy",
                        "ordering": ["service", "required_policy", "-approved_on", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="PolicyAcknowledgement",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("acknowledged_at", models.DateTimeField()),
                        (
                            "policy",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="acknowledgements",
                                to="governance.policy",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_policyacknowledgement",
                        "ordering": ["policy", "acknowledged_at"],
                    },
                ),
                migrations.CreateModel(
                    name="OnCallShift",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("starts_at", models.DateTimeField()),
                        ("ends_at", models.DateTimeField()),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "service",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="on_call_shifts",
                                to="organisations.service",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_oncallshift",
                        "ordering": ["service", "starts_at", "pk"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                                name="on_call_ends_after",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PerformanceReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("period_start", models.DateField()),
                        ("period_end", models.DateField()),
                        ("text", models.TextField()),
                        (
                            "status",
                            models.CharField(
                                choices=[("draft", "Draft"), ("presented", "Presented")],
                                default="draft",
                                max_length=16,
                            ),
                        ),
                        ("presented_on", models.DateField(blank=True, null=True)),
                        ("created_at", models.DateTimeField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reports",
                                to="governance.governancemeeting",
                            ),
                        ),
                        (
                            "service",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="performance_reports",
                                to="organisations.service",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_performancereport",
                        "ordering": ["service", "-period_end", "-pk"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("presented_on__isnull", True), ("status", "draft")),
                                    models.Q(
                                        ("presented_on__isnull", False), ("status", "presented")
                                    ),
                                    _connector="OR",
                                ),
                                name="performance_report_presented_dated",
                            )
                        ],
                    },
                ),
                migrations.AddIndex(
                    model_name="policy",
                    index=models.Index(
                        fields=["service", "required_policy", "approved_on"],
                        name="organisatio_service_c3f5a4_idx",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="policyacknowledgement",
                    constraint=models.UniqueConstraint(
                        fields=("policy", "user"), name="policy_acknowledged_once"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_governance, content_types_to_organisations),
    ]
