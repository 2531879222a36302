"""The generated pydantic models and the public surface of the generated packages."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pydantic
import pytest
from mock_support import (
    ANCHOR_PROXY,
    CUSTOM_PROXY,
    PACKAGES,
    TASK_ID,
    VERSION_ID,
    task_version_body,
)

from generated.anchorbrowser import models as ab_models
from generated.recoup import models as rc_models
from generated.xpander import models as xp_models

CREATED = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
UPDATED = dt.datetime(2025, 1, 3, 4, 5, 6, tzinfo=dt.UTC)
VERSION_BASE: dict[str, Any] = {
    "id": VERSION_ID,
    "version": "draft",
    "code": "Y29uc29sZS5sb2coMSk=",
    "deleted": False,
}


def _version(**fields: Any) -> ab_models.TaskVersion:
    return ab_models.TaskVersion.model_validate({**VERSION_BASE, **fields})


# ------------------------------------------------------------------ field names


@pytest.mark.parametrize(
    "names",
    [
        {"task_id": TASK_ID, "created_at": CREATED, "updated_at": UPDATED},
        {"taskId": TASK_ID, "createdAt": CREATED, "updatedAt": UPDATED},
        {"task_id": TASK_ID, "createdAt": CREATED, "updated_at": UPDATED},
    ],
    ids=["python-names", "json-names", "mixed"],
)
def test_fields_accept_the_python_and_the_json_name(names: dict[str, Any]) -> None:
    version = _version(**names)
    assert version.task_id == uuid.UUID(TASK_ID)
    assert version.created_at == CREATED
    assert version.updated_at == UPDATED


def test_constructor_accepts_both_names() -> None:
    by_name = ab_models.TaskVersion(
        **VERSION_BASE, task_id=TASK_ID, created_at=CREATED, updated_at=UPDATED,
        browser_configuration={"tags": ["a"]},
    )  # fmt: skip
    by_alias = ab_models.TaskVersion(
        **VERSION_BASE, taskId=TASK_ID, createdAt=CREATED, updatedAt=UPDATED,
        browserConfiguration={"tags": ["a"]},
    )  # fmt: skip
    assert by_name == by_alias
    assert by_name.browser_configuration == ab_models.SessionConfig(tags=["a"])


def test_models_serialise_by_json_name() -> None:
    version = _version(
        task_id=TASK_ID,
        created_at=CREATED,
        updated_at=UPDATED,
        browser_configuration={"proxy": ANCHOR_PROXY},
    )
    expected = {
        **VERSION_BASE,
        "taskId": TASK_ID,
        "createdAt": "2025-01-02T03:04:05Z",
        "updatedAt": "2025-01-03T04:05:06Z",
        "browserConfiguration": {"proxy": ANCHOR_PROXY},
    }
    assert (
        version.model_dump(mode="json", by_alias=True, exclude_unset=True) == expected
    )
    assert json.loads(version.model_dump_json(exclude_unset=True)) == expected
    assert version.model_dump(mode="json", exclude_unset=True) == expected
    dumped = version.model_dump(by_alias=True)
    assert "task_id" not in dumped and dumped["taskId"] == uuid.UUID(TASK_ID)


def test_unknown_fields_are_kept_and_serialised() -> None:
    body = task_version_body()
    body["data"]["browserConfiguration"]["proxy"]["rotation"] = "sticky"
    parsed = ab_models.TaskVersionResponse.model_validate(body)
    assert parsed.model_extra == {"meta": {"requestId": "req_8d1"}}
    assert parsed.data is not None
    assert parsed.data.model_extra == {"ownerTeam": "growth"}
    assert parsed.data.ownerTeam == "growth"
    proxy = parsed.data.browser_configuration.proxy  # type: ignore[union-attr]
    assert isinstance(proxy, ab_models.AnchorProxy)
    assert proxy.model_extra == {"rotation": "sticky"}
    dumped = json.loads(parsed.model_dump_json(exclude_unset=True))
    assert dumped["meta"] == {"requestId": "req_8d1"}
    assert dumped["data"]["ownerTeam"] == "growth"
    assert dumped["data"]["browserConfiguration"]["proxy"]["rotation"] == "sticky"


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (rc_models.DeleteTaskResponse, {"status": "success", "requestId": "r1"}),
        (rc_models.Error, {"error": 401, "message": "no", "hint": "rotate"}),
        (xp_models.HTTPValidationError, {"detail": [], "trace": "abc"}),
        (ab_models.ErrorResponse, {"error": {"code": 1, "extra": True}, "x": 2}),
    ],
)
def test_every_package_keeps_unknown_fields(
    model: type[pydantic.BaseModel], data: dict[str, Any]
) -> None:
    assert model.model_validate(data).model_dump(exclude_unset=True) == data


# ----------------------------------------------------------------- proxy unions


@pytest.mark.parametrize(
    "proxy_type", ["anchor_proxy", "anchor_residential", "anchor_mobile", "anchor_gov"]
)
@pytest.mark.parametrize("country", ["us", "gb", "de", "bd", "mu", "as"])
def test_overlapping_one_of_branches_accept_shared_values(
    proxy_type: str, country: str
) -> None:
    """Four identical type enums and four country enums sharing `us`: warn, not reject.

    `gb`/`bd` exist only in the residential and mobile lists, `mu` only in mobile, `as`
    only in the anchor_proxy and gov lists.
    """
    proxy = ab_models.AnchorProxy(active=True, type=proxy_type, country_code=country)
    assert proxy.type == proxy_type
    assert proxy.country_code == country
    config = ab_models.SessionConfig.model_validate(
        {"proxy": {"active": True, "type": proxy_type, "country_code": country}}
    )
    assert isinstance(config.proxy, ab_models.AnchorProxy)
    assert config.proxy.country_code == country


@pytest.mark.parametrize(
    "fields",
    [
        {"active": True, "type": "anchor_datacenter"},
        {"active": True, "type": "custom"},
        {"active": True, "country_code": "xx"},
        {"active": True, "country_code": "US"},
        {"type": "anchor_gov"},  # active is required
    ],
    ids=["unknown-type", "custom-type", "unknown-country", "upper-case", "no-active"],
)
def test_anchor_proxy_rejects_values_outside_every_branch(
    fields: dict[str, Any],
) -> None:
    with pytest.raises(pydantic.ValidationError):
        ab_models.AnchorProxy.model_validate(fields)


@pytest.mark.parametrize(
    ("proxy", "model"),
    [
        (ANCHOR_PROXY, ab_models.AnchorProxy),
        ({"active": False}, ab_models.AnchorProxy),
        (CUSTOM_PROXY, ab_models.CustomProxy),
    ],
)
def test_proxy_config_picks_the_matching_branch(
    proxy: dict[str, Any], model: type[pydantic.BaseModel]
) -> None:
    config = ab_models.SessionConfig.model_validate({"proxy": proxy})
    assert type(config.proxy) is model
    assert config.model_dump(exclude_unset=True) == {"proxy": proxy}


def test_proxy_config_rejects_an_incomplete_custom_proxy() -> None:
    incomplete = {k: v for k, v in CUSTOM_PROXY.items() if k != "password"}
    with pytest.raises(pydantic.ValidationError):
        ab_models.SessionConfig.model_validate({"proxy": incomplete})


# ------------------------------------------------------------------ constraints


def test_description_max_length_is_enforced() -> None:
    base = {"task_id": TASK_ID, "created_at": CREATED, "updated_at": UPDATED}
    assert _version(**base, description="x" * 1000).description == "x" * 1000
    with pytest.raises(pydantic.ValidationError) as info:
        _version(**base, description="x" * 1001)
    assert info.value.errors()[0]["type"] == "string_too_long"
    assert info.value.errors()[0]["loc"] == ("description",)


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"taskId": "not-a-uuid"}, "taskId"),
        ({"language": "python"}, "language"),
        ({"createdAt": "yesterday"}, "createdAt"),
        ({"code": None}, "code"),
    ],
)
def test_task_version_types_are_enforced(fields: dict[str, Any], loc: str) -> None:
    data = {"taskId": TASK_ID, "createdAt": CREATED, "updatedAt": UPDATED, **fields}
    with pytest.raises(pydantic.ValidationError) as info:
        _version(**data)
    assert info.value.errors()[0]["loc"][0] in (loc, loc.lower())


def test_required_fields_are_required() -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        ab_models.TaskVersion.model_validate({"id": VERSION_ID})
    missing = {e["loc"][0] for e in info.value.errors() if e["type"] == "missing"}
    assert missing == {"taskId", "version", "code", "deleted", "createdAt", "updatedAt"}


def test_recoup_and_xpander_models() -> None:
    request = rc_models.DeleteTaskRequest(id=TASK_ID)
    assert request.id == uuid.UUID(TASK_ID)
    assert request.model_dump(mode="json") == {"id": TASK_ID}
    with pytest.raises(pydantic.ValidationError):
        rc_models.DeleteTaskRequest(id="nope")
    invalid = rc_models.DeleteTaskValidationErrorResponse.model_validate(
        {"status": "error", "missing_fields": ["items", 0, "id"], "error": "Required"}
    )
    assert invalid.missing_fields == ["items", 0, "id"]
    with pytest.raises(pydantic.ValidationError):
        rc_models.DeleteTaskResponse.model_validate({"status": "error"})
    detail = xp_models.HTTPValidationError.model_validate(
        {"detail": [{"loc": ["path", "task_id", 0], "msg": "bad", "type": "value"}]}
    )
    assert detail.detail is not None
    assert detail.detail[0].loc == ["path", "task_id", 0]


# ------------------------------------------------------------------- public API


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_package_surface_and_error_hierarchy(package: str) -> None:
    pkg = PACKAGES[package]
    public = {"AsyncClient", "Client", "errors", "models", "RawResponse", "NOT_GIVEN"}
    assert public <= set(pkg.__all__)
    assert all(hasattr(pkg, name) for name in pkg.__all__)
    e = pkg.errors
    assert issubclass(e.APITimeoutError, e.APIConnectionError)
    assert issubclass(e.APIConnectionError, e.APIError)
    assert issubclass(e.APIStatusError, e.APIError)
    assert issubclass(e.APIResponseValidationError, e.APIError)
    assert issubclass(e.ParameterError, ValueError)
    for name in (
        "BadRequestError", "AuthenticationError", "PermissionDeniedError",
        "NotFoundError", "ConflictError", "UnprocessableEntityError",
        "RateLimitError", "InternalServerError",
    ):  # fmt: skip
        assert issubclass(getattr(e, name), e.APIStatusError)
