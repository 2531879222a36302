"""A small Django REST framework service documented by drf-spectacular, written the way real
ones are (serializers, APIViews, `extend_schema`, a polymorphic field): the live tests serve
Django's ASGI application with uvicorn, take /api/schema/?format=json, generate a client and
call every operation.

Each endpoint echoes what it received so the test can tell what the client sent.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from typing import Any

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="live-tests-only",
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework",
                    "drf_spectacular"],
    MIDDLEWARE=[],
    USE_TZ=True,
    REST_FRAMEWORK={
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        "DEFAULT_AUTHENTICATION_CLASSES": [],
        "DEFAULT_PERMISSION_CLASSES": [],
        "UNAUTHENTICATED_USER": None,
    },
    # The settings drf-spectacular recommends for uploads (request forms of their own, so a
    # FileField is `format: binary` there), without the schema view's own operation.
    SPECTACULAR_SETTINGS={
        "TITLE": "Live DRF",
        "VERSION": "1.0.0",
        "COMPONENT_SPLIT_REQUEST": True,
        "SERVE_INCLUDE_SCHEMA": False,
    },
)
django.setup()

# Django needs its settings before these imports.
from django.core.asgi import get_asgi_application
from django.http import StreamingHttpResponse
from django.urls import path, re_path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

PRIORITIES = ["low", "normal", "high"]


class EmailSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["email"], default="email")
    address = serializers.CharField()
    subject = serializers.CharField(required=False, allow_null=True, default=None)


class SmsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["sms"], default="sms")
    number = serializers.CharField()

    def validate_number(self, value: str) -> str:
        # Not expressible in the schema: the client sends it, the server answers 400.
        if not value.startswith("+"):
            raise serializers.ValidationError("number must start with +")
        return value


CHANNELS = {"email": EmailSerializer, "sms": SmsSerializer}
CHANNEL_SCHEMA = PolymorphicProxySerializer(
    component_name="Channel",
    serializers=CHANNELS,
    resource_type_field_name="kind",
)


@extend_schema_field(CHANNEL_SCHEMA)
class ChannelField(serializers.Field):
    """One of the channel serializers, chosen by `kind` (the way DRF projects do it)."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        kind = data.get("kind") if isinstance(data, dict) else None
        if kind not in CHANNELS:
            raise serializers.ValidationError({"kind": f"unknown channel kind {kind!r}"})
        inner = CHANNELS[kind](data=data)
        inner.is_valid(raise_exception=True)
        return dict(inner.validated_data)

    def to_representation(self, value: dict[str, Any]) -> dict[str, Any]:
        return dict(CHANNELS[value["kind"]](value).data)


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    channel = ChannelField()
    message = serializers.CharField()
    priority = serializers.ChoiceField(choices=PRIORITIES, default="normal")
    reply_to = serializers.CharField(allow_null=True)  # required, but may be null
    note = serializers.CharField(required=False, allow_null=True, default=None)
    tags = serializers.ListField(child=serializers.CharField(), default=list)


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class FileInfoSerializer(serializers.Serializer):
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    description = serializers.CharField(allow_null=True, required=False)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(required=False, allow_null=True, default=None)


class BatchSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField())


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(write_only=True)
    remember = serializers.BooleanField(default=False)
    scopes = serializers.ListField(child=serializers.CharField(), default=list)


class SearchEchoSerializer(serializers.Serializer):
    tag = serializers.ListField(child=serializers.CharField())
    priority = serializers.ChoiceField(choices=PRIORITIES, allow_null=True)
    limit = serializers.IntegerField()
    trace_ids = serializers.ListField(child=serializers.CharField())
    session = serializers.CharField(allow_null=True)
    prefs = serializers.ListField(child=serializers.CharField())


class ObjectKeySerializer(serializers.Serializer):
    key = serializers.CharField()


STORE: dict[int, dict[str, Any]] = {}
IDS = itertools.count(1)


def missing(notification_id: int) -> Response:
    problem = {"code": "not_found", "message": f"no notification {notification_id}"}
    return Response(problem, status=status.HTTP_404_NOT_FOUND)


def describe(upload: Any, description: str | None = None) -> dict[str, Any]:
    content = upload.read()
    return {
        "filename": upload.name,
        "content_type": upload.content_type,
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "description": description,
    }


class NotificationList(APIView):
    parser_classes = (JSONParser,)

    @extend_schema(
        operation_id="create_notification",
        request=NotificationSerializer,
        responses={201: NotificationSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = NotificationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notification = {"id": next(IDS), **serializer.validated_data}
        STORE[notification["id"]] = notification
        return Response(NotificationSerializer(notification).data, status=201)


class NotificationDetail(APIView):
    @extend_schema(
        operation_id="get_notification",
        responses={200: NotificationSerializer, 404: ProblemSerializer},
    )
    def get(self, request: Request, notification_id: int) -> Response:
        if notification_id not in STORE:
            return missing(notification_id)
        return Response(NotificationSerializer(STORE[notification_id]).data)

    @extend_schema(
        operation_id="delete_notification", responses={204: None, 404: ProblemSerializer}
    )
    def delete(self, request: Request, notification_id: int) -> Response:
        if STORE.pop(notification_id, None) is None:
            return missing(notification_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CheckChannel(APIView):
    parser_classes = (JSONParser,)

    @extend_schema(operation_id="check_channel", request=CHANNEL_SCHEMA,
                   responses={200: CHANNEL_SCHEMA})
    def post(self, request: Request) -> Response:
        field = ChannelField()
        return Response(field.to_representation(field.to_internal_value(request.data)))


class UploadFile(APIView):
    parser_classes = (MultiPartParser,)

    @extend_schema(operation_id="upload_file", request=UploadSerializer,
                   responses={200: FileInfoSerializer})
    def post(self, request: Request) -> Response:
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return Response(describe(data["file"], data["description"]))


class UploadFiles(APIView):
    parser_classes = (MultiPartParser,)

    @extend_schema(operation_id="upload_files", request=BatchSerializer,
                   responses={200: FileInfoSerializer(many=True)})
    def post(self, request: Request) -> Response:
        serializer = BatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response([describe(upload) for upload in serializer.validated_data["files"]])


class Login(APIView):
    parser_classes = (FormParser,)

    @extend_schema(operation_id="login", request=LoginSerializer,
                   responses={200: LoginSerializer})
    def post(self, request: Request) -> Response:
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.data)


class Search(APIView):
    @extend_schema(
        operation_id="search",
        parameters=[
            OpenApiParameter("tag", str, many=True),
            OpenApiParameter("priority", str, enum=PRIORITIES),
            OpenApiParameter("limit", int, default=10),
            OpenApiParameter("x-trace-ids", str, OpenApiParameter.HEADER, many=True),
            OpenApiParameter("session", str, OpenApiParameter.COOKIE),
            OpenApiParameter("prefs", str, OpenApiParameter.COOKIE, many=True),
        ],
        responses={200: SearchEchoSerializer},
    )
    def get(self, request: Request) -> Response:
        header = request.headers.get("x-trace-ids")
        prefs = request.COOKIES.get("prefs")
        return Response({
            "tag": request.query_params.getlist("tag"),
            "priority": request.query_params.get("priority"),
            "limit": int(request.query_params.get("limit", 10)),
            "trace_ids": header.split(",") if header else [],
            "session": request.COOKIES.get("session"),
            "prefs": prefs.split(",") if prefs else [],
        })


class GetObject(APIView):
    @extend_schema(operation_id="get_object", responses={200: ObjectKeySerializer})
    def get(self, request: Request, key: str) -> Response:
        return Response({"key": key})


@extend_schema(
    operation_id="export",
    parameters=[OpenApiParameter("rows", int, default=3)],
    responses={(200, "text/csv"): OpenApiTypes.STR},
)
class Export(APIView):
    def get(self, request: Request) -> StreamingHttpResponse:
        rows = int(request.query_params.get("rows", 3))

        def lines() -> Iterator[bytes]:
            for number in range(rows):
                yield f"{number},row {number}\n".encode()

        return StreamingHttpResponse(lines(), content_type="text/csv")


urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view()),
    path("api/notifications", NotificationList.as_view()),
    path("api/notifications/<int:notification_id>", NotificationDetail.as_view()),
    path("api/channels/check", CheckChannel.as_view()),
    path("api/files", UploadFile.as_view()),
    path("api/files/batch", UploadFiles.as_view()),
    path("api/login", Login.as_view()),
    path("api/search", Search.as_view()),
    re_path(r"^api/objects/(?P<key>.+)$", GetObject.as_view()),
    path("api/export", Export.as_view()),
]
app = get_asgi_application()
