"""Unit tests of generator/lower/names.py: every identifier that reaches generated code."""

from __future__ import annotations

import builtins
import keyword

import pytest

from generator.lower import names
from generator.lower.names import (
    Namespace,
    argument_name,
    class_name,
    export_order,
    field_name,
    is_machine_operation_id,
    method_name,
    package_name,
    pascal,
    snake,
)


@pytest.mark.parametrize(
    ("text", "expected_snake", "expected_pascal"),
    [
        ("camelCase", "camel_case", "CamelCase"),
        ("createdAt", "created_at", "CreatedAt"),
        ("PascalCase", "pascal_case", "PascalCase"),
        ("task-id", "task_id", "TaskId"),
        ("kebab-case-name", "kebab_case_name", "KebabCaseName"),
        ("Task ID", "task_id", "TaskID"),
        ("Get Latest Task Version", "get_latest_task_version", "GetLatestTaskVersion"),
        ("HTTPValidationError", "http_validation_error", "HTTPValidationError"),
        ("getURLForID", "get_url_for_id", "GetURLForID"),
        ("XMLHttpRequest", "xml_http_request", "XMLHttpRequest"),
        ("v1Tasks", "v1_tasks", "V1Tasks"),
        ("already_snake", "already_snake", "AlreadySnake"),
        ("__dunder__", "dunder", "Dunder"),
        ("  padded  ", "padded", "Padded"),
        ("dots.and/slashes", "dots_and_slashes", "DotsAndSlashes"),
        ("Café crème", "cafe_creme", "CafeCreme"),
        ("naïve_Ñandú", "naive_nandu", "NaiveNandu"),
    ],
)
def test_snake_and_pascal(text: str, expected_snake: str, expected_pascal: str) -> None:
    assert snake(text) == expected_snake
    assert pascal(text) == expected_pascal


def test_text_without_ascii_letters_falls_back_to_a_valid_identifier() -> None:
    for make in (field_name, class_name, argument_name, method_name, package_name):
        name = make("日本語")
        assert name.isidentifier()
        assert name.isascii()
        assert not keyword.iskeyword(name)


@pytest.mark.parametrize(
    ("make", "text"),
    [
        (field_name, "2fa"),
        (field_name, "3d_secure"),
        (class_name, "200Response"),
        (argument_name, "1st"),
        (method_name, "404 handler"),
        (package_name, "3com"),
    ],
)
def test_leading_digits_get_a_prefix(make: object, text: str) -> None:
    name = make(text)  # type: ignore[operator]
    assert name.isidentifier()
    assert not name[0].isdigit()
    assert snake(text) in name.lower() or pascal(text) in name


def test_leading_digit_examples() -> None:
    assert field_name("2fa") == "field_2fa"
    assert class_name("200Response") == "Model200Response"
    assert argument_name("1st") == "arg_1st"


@pytest.mark.parametrize("word", ["class", "def", "return", "import", "lambda", "from", "async", "await"])
def test_keywords_get_a_trailing_underscore(word: str) -> None:
    for make in (field_name, argument_name, method_name):
        assert make(word) == word + "_"


@pytest.mark.parametrize("word", ["match", "case", "type"])
def test_soft_keywords_are_valid_names_and_stay(word: str) -> None:
    for make in (field_name, argument_name, method_name):
        assert make(word) == word


def test_keyword_spelled_in_another_case_becomes_the_keyword_and_is_escaped() -> None:
    assert field_name("Class") == "class_"
    assert field_name("IMPORT") == "import_"
    # pascal("none") is the keyword `None`
    assert class_name("none") == "None_"
    assert class_name("true") == "True_"


def test_names_do_not_depend_on_the_interpreters_soft_keywords(monkeypatch: pytest.MonkeyPatch) -> None:
    # Python 3.12 made `type` a soft keyword. The generated code must be byte-identical
    # whichever supported Python (>= 3.11) runs the generator, so `type` (a very common
    # field name) must get the same identifier under both keyword lists.
    results = []
    for soft in (["_", "case", "match"], ["_", "case", "match", "type"]):
        monkeypatch.setattr(keyword, "softkwlist", soft)
        monkeypatch.setattr(keyword, "issoftkeyword", frozenset(soft).__contains__)
        results.append([make(word) for make in (field_name, argument_name, method_name) for word in ("type", "match")])
    assert results[0] == results[1]


@pytest.mark.parametrize("word", ["str", "int", "float", "bool", "bytes", "list", "dict"])
def test_builtin_names_used_in_annotations_are_not_field_names(word: str) -> None:
    # A field called `str` would shadow the builtin in the class body's annotations.
    name = field_name(word)
    assert name != word
    assert name.startswith(word)
    assert not hasattr(builtins, name)


@pytest.mark.parametrize(
    "word",
    ["json", "dict", "copy", "schema", "schema_json", "validate", "construct", "fields",
     "model_config", "model_fields", "model_dump", "model_validate", "parse_obj"],
)
def test_pydantic_basemodel_attribute_names_are_not_field_names(word: str) -> None:
    from pydantic import BaseModel

    name = field_name(word)
    assert name != word
    assert not hasattr(BaseModel, name)


def test_camel_case_model_prefixed_json_names_avoid_pydantics_namespace() -> None:
    from pydantic import BaseModel

    for json_name in ("modelConfig", "modelName", "model_version"):
        name = field_name(json_name)
        assert not hasattr(BaseModel, name)
        assert name.isidentifier()


def test_reserved_class_names_are_renamed() -> None:
    for word in ("BaseModel", "Field", "Literal", "Any", "ConfigDict", "Annotated", "TypeAlias"):
        assert class_name(word) != word
        assert class_name(word).isidentifier()


def test_method_names_do_not_shadow_client_methods() -> None:
    for word in ("close", "aclose", "with_raw_response", "base_url"):
        assert method_name(word) != word
    assert method_name("withRawResponse") != "with_raw_response"


def test_argument_names_do_not_shadow_fixed_arguments() -> None:
    for word in ("self", "timeout", "extra_headers", "body"):
        assert argument_name(word) != word
    assert argument_name("extraHeaders") != "extra_headers"


def test_field_name_keeps_ordinary_names() -> None:
    assert field_name("id") == "id"
    assert field_name("name") == "name"
    assert field_name("createdAt") == "created_at"
    assert field_name("X-Rate-Limit") == "x_rate_limit"


def test_package_and_env_prefix() -> None:
    assert package_name("anchor-browser") == "anchor_browser"
    assert package_name("AnchorBrowser API") == "anchor_browser_api"
    assert names.env_prefix("anchor_browser") == "ANCHOR_BROWSER"


# -- Namespace -----------------------------------------------------------------------------


def test_namespace_makes_case_only_collisions_unique() -> None:
    space = Namespace()
    first = space.claim("active")
    second = space.claim("ACTIVE")
    third = space.claim("Active")
    assert first == "active"
    assert len({first.lower(), second.lower(), third.lower()}) == 3
    assert second.startswith("ACTIVE") and third.startswith("Active")


def test_namespace_numbers_duplicates_in_request_order() -> None:
    space = Namespace()
    assert [space.claim("get_task") for _ in range(3)] == ["get_task", "get_task2", "get_task3"]
    space = Namespace()
    assert [space.claim("get_task", "_") for _ in range(3)] == ["get_task", "get_task_2", "get_task_3"]


def test_namespace_respects_taken_names_case_insensitively() -> None:
    space = Namespace({"Client", "close"})
    assert not space.available("client")
    assert not space.available("CLOSE")
    assert space.available("open")
    assert space.claim("client").lower() != "client"


def test_namespace_skips_a_number_already_taken() -> None:
    space = Namespace()
    assert space.claim("item2") == "item2"
    assert space.claim("item") == "item"
    assert space.claim("item") == "item3"


# -- operation ids -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "operation_id",
    [
        "Delete_Task_v1_tasks__task_id__delete",
        "read_items_items__get",
        "read_item_items__item_id__get",
        "create_user_users__post",
        "list_tasks_v1_tasks_get",
        "update_task_v1_tasks__task_id__patch",
    ],
)
def test_fastapi_operation_ids_are_machine_made(operation_id: str) -> None:
    assert is_machine_operation_id(operation_id)


@pytest.mark.parametrize(
    "operation_id",
    ["getTask", "deleteTaskVersion", "list_tasks", "createUser", "GetLatestTaskVersion", "tasks.delete", "upload-file"],
)
def test_human_operation_ids_are_not_machine_made(operation_id: str) -> None:
    assert not is_machine_operation_id(operation_id)


# -- __all__ order -------------------------------------------------------------------------


def test_export_order_is_constants_classes_then_others_with_natural_numbers() -> None:
    exported = ["models", "Client", "NOT_GIVEN", "Model10", "AsyncClient", "Model2", "errors", "MAX", "RawResponse"]
    assert sorted(exported, key=export_order) == [
        "MAX",
        "NOT_GIVEN",
        "AsyncClient",
        "Client",
        "Model2",
        "Model10",
        "RawResponse",
        "errors",
        "models",
    ]


def test_export_order_matches_the_committed_seed_packages() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "generated"
    for init in sorted(root.glob("*/__init__.py")):
        namespace: dict[str, object] = {}
        text = init.read_text(encoding="utf-8")
        start = text.index("__all__ = [")
        exec(text[start : text.index("]", start) + 1], namespace)  # noqa: S102 - our own file
        exported = list(namespace["__all__"])  # type: ignore[call-overload]
        assert exported == sorted(exported, key=export_order)


@pytest.mark.parametrize(
    "operation_id, path, method",
    [("login_login_post", "/login", "post"), ("search_search_get", "/search", "get"),
     ("export_export_get", "/export", "GET"), ("events_events_get", "/events", "get"),
     ("read_item_items_item_id_get", "/items/{item_id}", "get")],
)
def test_fastapi_ids_made_from_the_operations_own_path_are_machine_made(
    operation_id: str, path: str, method: str
) -> None:
    assert names.is_machine_operation_id(operation_id, path, method)


@pytest.mark.parametrize(
    "operation_id, path, method",
    [("login", "/login", "post"), ("create_post", "/posts", "post"), ("search_get", "/search", "get"),
     ("login_login_post", "/signin", "post")],
)
def test_human_ids_stay_human_given_the_path(operation_id: str, path: str, method: str) -> None:
    assert not names.is_machine_operation_id(operation_id, path, method)


def test_imported_names_are_in_ruffs_order_constants_first() -> None:
    from generator.lower.pytypes import import_lines

    assert "from typing import TYPE_CHECKING, Any, Literal, cast" in import_lines({"Literal", "TYPE_CHECKING", "cast", "Any"})


@pytest.mark.parametrize(
    ("method", "resource", "expected"),
    [
        ("list_pets", "pets", "list"),
        ("get_pet_by_id", "pets", "get_by_id"),  # a joining word before other words stays
        ("submit_tool_ouputs_to_run", "runs", "submit_tool_ouputs"),  # dangling `to` dropped
        ("list_labels_on_issue", "issues", "list_labels"),
        ("get_release_by_tag", "tags", "get_release"),
        ("delete_an_environment", "environments", "delete"),  # and an article
        ("create_an_api_key_for_a_service_account", "service_accounts", "create_an_api_key"),
        ("check_permissions_for_project_in_org", "projects", "check_permissions_in_org"),
        ("add_repo_to_installation_for_user", "installations", "add_repo_for_user"),
        ("list_files_in_vector_store_batch", "vector_stores", "list_files_in_batch"),
        ("sign_in_user", "users", "sign_in"),  # a particle right after the verb stays
        ("to_run", "runs", "to_run"),  # nothing would be left: the name itself
        ("runs", "runs", "runs"),
    ],
)
def test_strip_resource_drops_the_resources_words_and_what_then_dangles(
    method: str, resource: str, expected: str
) -> None:
    assert names.strip_resource(method, resource) == expected


@pytest.mark.parametrize(
    ("operation_id", "texts", "expected"),
    [
        # well-formed ids: the usual split, whatever the texts say
        ("listPets", ("List all pets",), "list_pets"),
        ("getHTTPResponse", ("Get the HTTP response",), "get_http_response"),
        ("getURLForID", (), "get_url_for_id"),
        ("listAPIs", (), "list_apis"),  # an acronym's plural is one word
        ("userIDs", (), "user_ids"),
        ("admin-api-keys-list", (), "admin_api_keys_list"),
        # an acronym before a lowercase word, kept whole where the texts have it
        ("getAPIkey", ("Get an API key",), "get_api_key"),
        ("getAPIkey", (), "get_ap_ikey"),  # nothing says otherwise: the camelCase rule
        # run together: cut into the words of the summary and path, articles dropped
        ("CreateanAPIkeyforaserviceaccount",
         ("Creates an API key for a service account in the project.", "/projects/{id}/service_accounts"),
         "create_api_key_for_service_account"),
        ("Getorganizationspendlimit", ("Get the organization's hard spend limit.", "/organization/spend_limit"),
         "get_organization_spend_limit"),
        ("Createcontentprovenancecheck", ("Check whether an image ...", "/content_provenance_checks"),
         "create_content_provenance_check"),  # `create` is unknown, the rest is not
        ("Compactconversation", ("Compact a conversation.",), "compact_conversation"),
    ],
)
def test_operation_ids_are_split_with_the_operations_own_words(
    operation_id: str, texts: tuple[str, ...], expected: str
) -> None:
    from generator.lower.names_split import id_words

    words = id_words(operation_id, texts)
    assert words is not None and method_name(words) == expected


def test_an_operation_id_too_little_of_which_is_known_is_not_used() -> None:
    from generator.lower.names_split import id_words

    assert id_words("Xyzzyplughfoobarbazquxcorge", ("Create a token",)) is None
    assert id_words("x" * 5000, ("x",)) is None  # too long to cut: left to the other sources


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("vector_stores", "vector_store", True), ("custompages", "custom_pages", True),
     ("custom_page", "custompages", True), ("pets", "pet", True), ("pets", "pet_store", False),
     ("runs", "threads", False)],
)
def test_same_name_reads_words_written_as_one(a: str, b: str, same: bool) -> None:
    assert names.same_name(a, b) is same
