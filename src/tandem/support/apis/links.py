"""One survivor, several perpetrators, through the API: linking her to another case of her
service, and settling a possible duplicate of her record."""

from typing import Any

from django.contrib.auth.models import User
from rest_framework import serializers

from tandem.support import selectors
from tandem.support.apis.iss_cases import (
    IssCaseActionApi,
    IssCaseVersionInputSerializer,
    action_schema,
    case_of_her_service,
)
from tandem.support.models import IssCase, Relationship
from tandem.support.services import links


class SurvivorLinkInputSerializer(serializers.Serializer[Any]):
    case = serializers.CharField(help_text="His case reference: a case of her service")
    relationship = serializers.ChoiceField(choices=Relationship.choices)


class DuplicateInputSerializer(IssCaseVersionInputSerializer):
    same_person = serializers.BooleanField(
        help_text="true: link her existing record instead and close this ISS case; false: not "
        "the same person"
    )


@action_schema(
    SurvivorLinkInputSerializer,
    "Link her to another perpetrator case of her service, as his next survivor",
    created=True,
)
class SurvivorLinkApi(IssCaseActionApi):
    input_serializer = SurvivorLinkInputSerializer
    created = True

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        links.survivor_link_to_case(
            survivor=iss_case.survivor,
            perpetrator_case=case_of_her_service(
                iss_case=iss_case, actor=actor, reference=data["case"]
            ),
            relationship=data["relationship"],
            actor=actor,
        )

    def field_names(self, data: dict[str, Any]) -> dict[str, str]:
        return {"reference": "case"}


@action_schema(
    DuplicateInputSerializer,
    "Settle a possible duplicate flagged on her record: the same person, or not",
)
class PossibleDuplicateApi(IssCaseActionApi):
    input_serializer = DuplicateInputSerializer

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        links.survivor_duplicate_resolve(
            flag=selectors.possible_duplicate_of(iss_case=iss_case, pk=data["flag_pk"]),
            actor=actor,
            expected_version=data["version"],
            same_person=data["same_person"],
        )
