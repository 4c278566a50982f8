"""The checklist routes side by side (a commissioner's services, a local partnership's
agencies) and their administration (who commissions what, local partnerships)."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.api import NOT_ALLOWED, REFUSED, signed_in
from tandem.api_schema import record_id
from tandem.assurance.checklists import selectors
from tandem.assurance.checklists.apis.summaries import (
    CHECKLIST_NOT_FOUND,
    ChecklistApi,
    PersonInput,
    day,
    person_of,
    readiness_json,
)
from tandem.assurance.checklists.rules import (
    MANAGE_COMMISSIONING,
    VIEW_COMMISSIONING,
    VIEW_PARTNERSHIPS,
)
from tandem.assurance.checklists.services.commissioning import (
    commissioning_relationship_start,
    local_partnership_create,
    local_partnership_member_add,
    local_partnership_organisation_add,
)
from tandem.assurance.models import (
    LocalPartnership,
)
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name
from tandem.organisations.models import Organisation, Service


class RelationshipInput(serializers.Serializer[Any]):
    commissioner = record_id(help_text="The commissioner's user id")
    service = record_id()
    since = serializers.DateField()


class NameInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, allow_blank=True)


class OrganisationInput(serializers.Serializer[Any]):
    organisation = record_id()


class CommissioningApi(ChecklistApi):
    required_permission = VIEW_COMMISSIONING

    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), 403: NOT_ALLOWED},
    )
    def get(self, request: Request) -> Response:
        """The services you commission, side by side: the latest completed Welsh checklist, its
        RAG status and its trend against the review before."""
        rows = selectors.commissioned_services_overview(user=request.user)
        return Response(
            [
                {
                    "service": row.service.pk,
                    "name": row.service.name,
                    "organisation": row.service.organisation.name,
                    "latest": row.latest.pk if row.latest else None,
                    "reviewed_at": row.latest.decided_at.isoformat()
                    if row.latest and row.latest.decided_at
                    else None,
                    "status": row.status,
                    "trend": row.trend.value if row.trend else None,
                    "in_progress": row.in_progress.pk if row.in_progress else None,
                    "open_actions": row.open_actions,
                    "reassessment_due": day(row.reassessment_due),
                }
                for row in rows
            ]
        )


class PartnershipApi(ChecklistApi):
    required_permission = VIEW_PARTNERSHIPS

    @extend_schema(
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT),
            403: NOT_ALLOWED,
            404: CHECKLIST_NOT_FOUND,
        }
    )
    def get(self, request: Request, partnership_id: int) -> Response:
        """A local partnership's agencies with their latest self-evaluation sent for review."""
        overview = selectors.partnership_overview(user=request.user, partnership_id=partnership_id)
        return Response(
            {
                "partnership": overview.partnership.name,
                "agencies": [
                    {
                        "organisation": agency.organisation.name,
                        "service": agency.service.name,
                        "latest": agency.latest.pk if agency.latest else None,
                        "state": agency.latest.state if agency.latest else None,
                        "counts": readiness_json(agency.counts) if agency.counts else None,
                        "challenged": agency.challenged,
                        "open_actions": agency.open_actions,
                    }
                    for agency in overview.agencies
                ],
            }
        )


# Administration


class AdminApi(ChecklistApi):
    required_permission = MANAGE_COMMISSIONING


class RelationshipApi(AdminApi):
    @extend_schema(
        summary="Record that a commissioner commissions a service (administrators)",
        request=RelationshipInput,
        responses={201: OpenApiResponse(OpenApiTypes.OBJECT), 400: REFUSED, 403: NOT_ALLOWED},
    )
    def post(self, request: Request) -> Response:
        serializer = RelationshipInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        service = Service.objects.filter(pk=data["service"]).first()
        if service is None:
            raise ActionRefused("No such service", field="service")
        relationship = commissioning_relationship_start(
            commissioner=person_of(data["commissioner"], field="commissioner"),
            service=service,
            since=data["since"],
            actor=signed_in(request),
        )
        return Response(
            {
                "id": relationship.pk,
                "commissioner": relationship.commissioner_id,
                "service": relationship.service_id,
                "since": day(relationship.since),
            },
            status=status.HTTP_201_CREATED,
        )


def _partnership_json(partnership: LocalPartnership) -> dict[str, Any]:
    return {
        "id": partnership.pk,
        "name": partnership.name,
        "organisations": [o.name for o in partnership.organisations.order_by("name")],
        "members": [person_name(user) for user in partnership.members.order_by("username")],
    }


PARTNERSHIP = OpenApiResponse(OpenApiTypes.OBJECT, description="The partnership")


class PartnershipCreateApi(AdminApi):
    @extend_schema(
        summary="Set up a local partnership (administrators)",
        request=NameInput,
        responses={201: PARTNERSHIP, 400: REFUSED, 403: NOT_ALLOWED},
    )
    def post(self, request: Request) -> Response:
        serializer = NameInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        partnership = local_partnership_create(
            name=serializer.validated_data["name"], actor=signed_in(request)
        )
        return Response(_partnership_json(partnership), status=status.HTTP_201_CREATED)


def _partnership(partnership_id: int) -> LocalPartnership:
    partnership = LocalPartnership.objects.filter(pk=partnership_id).first()
    if partnership is None:
        raise NotFound("No such partnership.")
    return partnership


class PartnershipOrganisationApi(AdminApi):
    @extend_schema(
        summary="Add an agency (organisation) to a local partnership (administrators)",
        request=OrganisationInput,
        responses={200: PARTNERSHIP, 400: REFUSED, 403: NOT_ALLOWED, 404: CHECKLIST_NOT_FOUND},
    )
    def post(self, request: Request, partnership_id: int) -> Response:
        partnership = _partnership(partnership_id)
        serializer = OrganisationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = Organisation.objects.filter(
            pk=serializer.validated_data["organisation"]
        ).first()
        if organisation is None:
            raise ActionRefused("No such organisation", field="organisation")
        local_partnership_organisation_add(
            partnership=partnership, organisation=organisation, actor=signed_in(request)
        )
        return Response(_partnership_json(partnership))


class PartnershipMemberApi(AdminApi):
    @extend_schema(
        summary="Add a commissioner to a local partnership (administrators)",
        request=PersonInput,
        responses={200: PARTNERSHIP, 400: REFUSED, 403: NOT_ALLOWED, 404: CHECKLIST_NOT_FOUND},
    )
    def post(self, request: Request, partnership_id: int) -> Response:
        partnership = _partnership(partnership_id)
        serializer = PersonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        local_partnership_member_add(
            partnership=partnership,
            user=person_of(serializer.validated_data["user"]),
            actor=signed_in(request),
        )
        return Response(_partnership_json(partnership))
