"""Read-only API of the standards library, under /api/v1/."""

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.standards import converters, selectors
from tandem.standards.models import Framework, Requirement, RequirementMapping
from tandem.standards.rules import VIEW_LIBRARY

EDITION_PARAMETER = OpenApiParameter(
    "edition", str, description="An older edition's name; the current edition when omitted"
)


class FrameworkSerializer(serializers.ModelSerializer[Framework]):
    id = serializers.CharField(source="slug")

    class Meta:
        model = Framework
        fields = ["id", "title", "publisher", "edition", "published", "source", "is_current"]


class GuidanceSerializer(serializers.Serializer[dict[str, str]]):
    text = serializers.CharField()
    force = serializers.ChoiceField(choices=["must", "should", "informative"])


class RequirementSerializer(serializers.ModelSerializer[Requirement]):
    id = serializers.CharField(source="code")
    framework = serializers.CharField(source="framework.slug")
    parent = serializers.CharField(source="parent.code", allow_null=True)  # type: ignore[assignment]
    guidance = GuidanceSerializer(many=True)
    evidence = serializers.ListField(child=serializers.CharField())
    assessment_methods = serializers.ListField(child=serializers.CharField())
    applies_to = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Requirement
        fields = [
            "id",
            "framework",
            "ref",
            "level",
            "parent",
            "title",
            "text",
            "purpose",
            "guidance",
            "evidence",
            "assessment_methods",
            "applies_to",
        ]


class MappingSerializer(serializers.ModelSerializer[RequirementMapping]):
    # DRF's stubs type Field.source and Field.parent, which these output names shadow.
    source = serializers.SerializerMethodField()  # type: ignore[assignment]
    target = serializers.SerializerMethodField()

    class Meta:
        model = RequirementMapping
        fields = ["source", "target", "relation", "rationale"]

    def get_source(self, mapping: RequirementMapping) -> str:
        return f"{mapping.source.framework.slug}:{mapping.source.code}"

    def get_target(self, mapping: RequirementMapping) -> str:
        return f"{mapping.target.framework.slug}:{mapping.target.code}"


class RequirementDetailSerializer(RequirementSerializer):
    mappings = serializers.SerializerMethodField()

    class Meta(RequirementSerializer.Meta):
        fields = [*RequirementSerializer.Meta.fields, "mappings"]

    def get_mappings(self, requirement: Requirement) -> list[dict[str, str]]:
        page: selectors.RequirementPage = self.context["page"]
        return MappingSerializer([*page.mappings_out, *page.mappings_in], many=True).data  # type: ignore[return-value]


class LibraryView(APIView):
    permission_classes = [RulePermission]
    required_permission = VIEW_LIBRARY


class FrameworkListApi(LibraryView, ListAPIView[Framework]):
    """Every framework edition in the library."""

    serializer_class = FrameworkSerializer

    def get_queryset(self) -> QuerySet[Framework]:
        return selectors.framework_list_for_user(user=self.request.user)


@extend_schema(parameters=[EDITION_PARAMETER])
class FrameworkDetailApi(LibraryView, RetrieveAPIView[Framework]):
    """One framework (its current edition unless `edition` is given)."""

    serializer_class = FrameworkSerializer

    def get_object(self) -> Framework:
        return selectors.framework_get_for_user(
            user=self.request.user,
            slug=self.kwargs["slug"],
            edition=self.request.query_params.get("edition"),
        )


@extend_schema(parameters=[EDITION_PARAMETER])
class FrameworkRequirementsApi(LibraryView, ListAPIView[Requirement]):
    """A framework's requirements in document order; `parent` gives the tree."""

    serializer_class = RequirementSerializer

    def get_queryset(self) -> QuerySet[Requirement]:
        framework = selectors.framework_get_for_user(
            user=self.request.user,
            slug=self.kwargs["slug"],
            edition=self.request.query_params.get("edition"),
        )
        return framework.requirements.select_related("framework", "parent").order_by("position")


class RequirementDetailApi(LibraryView):
    """One requirement with its guidance and every mapping to or from other frameworks."""

    @extend_schema(parameters=[EDITION_PARAMETER], responses=RequirementDetailSerializer)
    def get(self, request: Request, slug: str, code: str) -> Response:
        framework = selectors.framework_get_for_user(
            user=request.user, slug=slug, edition=request.query_params.get("edition")
        )
        page = selectors.requirement_page_for_user(
            user=request.user, framework=framework, code=code
        )
        return Response(RequirementDetailSerializer(page.requirement, context={"page": page}).data)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "q",
            str,
            required=True,
            description='Words; "quoted phrase" kept whole',
            # At least one word: a character other than white space and quotes.
            pattern=r'[^\s"]',
        ),
        OpenApiParameter("framework", str, description="Limit to one framework id"),
    ],
    responses={400: OpenApiResponse(description="`q` has no word to search for")},
)
class RequirementSearchApi(LibraryView, ListAPIView[Requirement]):
    """Requirements of current editions containing every word of `q`; whole-phrase matches first."""

    serializer_class = RequirementSerializer

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        if not selectors.search_terms(request.query_params.get("q", "")):
            raise serializers.ValidationError({"q": ["Enter at least one word to search for."]})
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Requirement]:
        return selectors.requirement_search_for_user(
            user=self.request.user,
            query=self.request.query_params.get("q", ""),
            framework_slug=self.request.query_params.get("framework") or None,
        ).select_related("parent")


@extend_schema(
    parameters=[OpenApiParameter("framework", str, description="Only mappings touching it")]
)
class MappingListApi(LibraryView, ListAPIView[RequirementMapping]):
    """Cross-framework mappings: `source` is `relation` of `target`."""

    serializer_class = MappingSerializer

    def get_queryset(self) -> QuerySet[RequirementMapping]:
        return selectors.mapping_list_for_user(
            user=self.request.user,
            framework_slug=self.request.query_params.get("framework") or None,
        )


urlpatterns = [
    path("frameworks/", FrameworkListApi.as_view(), name="framework-list"),
    path("frameworks/<slug:slug>/", FrameworkDetailApi.as_view(), name="framework-detail"),
    path(
        "frameworks/<slug:slug>/requirements/",
        FrameworkRequirementsApi.as_view(),
        name="framework-requirements",
    ),
    path(
        f"frameworks/<slug:slug>/requirements/<{converters.CODE}:code>/",
        RequirementDetailApi.as_view(),
        name="requirement-detail",
    ),
    path("requirements/", RequirementSearchApi.as_view(), name="requirement-search"),
    path("mappings/", MappingListApi.as_view(), name="mapping-list"),
]
