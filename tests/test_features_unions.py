"""Discriminated unions and forward-compatible responses, through generated clients.

Tags a branch implies (a defaulted or `const` tag property, an `enum`, its component name)
are sent and recognised without `mapping`; a value the spec does not list (an enum value, a
const, a tag) is kept when a response brings it and refused when a request carries it.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from feature_support import (
    Package,
    json_response,
    method_of,
    module_package,
    mypy_strict,
)
from prism import PrismServer, violations

SPEC = """
openapi: 3.1.0
info: {title: Unions, version: '1'}
servers: [{url: 'http://api.test'}]
paths:
  /notifications:
    post:
      operationId: send_notification
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Notification'}}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Notification'}}}
        '422':
          description: invalid
          content: {application/json: {schema: {type: object}}}
  /outbox:
    post:
      operationId: queue_notifications
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Outbox'}}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Outbox'}}}
        '422':
          description: invalid
          content: {application/json: {schema: {type: object}}}
  /chat:
    post:
      operationId: chat
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Conversation'}}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Conversation'}}}
  /shapes:
    post:
      operationId: add_shape
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Shape'}}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Drawing'}}}
  /parts:
    get:
      operationId: get_parts
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Part'}}}}
components:
  schemas:
    EmailNotification:
      type: object
      required: [to]
      properties:
        kind: {type: string, const: email, default: email}
        to: {type: string}
        priority: {type: string, enum: [low, high]}
        note: {type: string}
    SmsNotification:
      type: object
      required: [number]
      properties:
        kind: {type: string, enum: [sms], default: sms}
        number: {type: string}
    PushNotification:
      type: object
      required: [kind, device]
      properties:
        kind: {type: string, const: push}
        device: {type: string}
    Notification:
      oneOf:
        - $ref: '#/components/schemas/EmailNotification'
        - $ref: '#/components/schemas/SmsNotification'
        - $ref: '#/components/schemas/PushNotification'
      discriminator:
        propertyName: kind
        mapping:
          email: '#/components/schemas/EmailNotification'
          sms: '#/components/schemas/SmsNotification'
          push: '#/components/schemas/PushNotification'
    Outbox:
      type: object
      required: [items]
      properties:
        items:
          type: array
          items: {$ref: '#/components/schemas/Notification'}
    UserMessage:
      type: object
      required: [role, content]
      properties:
        role: {type: string, enum: [user]}
        content: {type: string}
    AssistantMessage:
      type: object
      required: [role]
      properties:
        role: {type: string, enum: [assistant]}
        content: {type: [string, 'null']}
        tool_calls:
          type: array
          items: {$ref: '#/components/schemas/ToolCall'}
    ToolCall:
      type: object
      required: [id, type, function]
      properties:
        id: {type: string}
        type: {type: string, enum: [function]}
        function:
          type: object
          required: [name, arguments]
          properties:
            name: {type: string}
            arguments: {type: string}
    Message:
      oneOf:
        - $ref: '#/components/schemas/UserMessage'
        - $ref: '#/components/schemas/AssistantMessage'
      discriminator: {propertyName: role}
    Conversation:
      type: object
      required: [messages]
      properties:
        messages:
          type: array
          items: {$ref: '#/components/schemas/Message'}
        status: {type: string, enum: [open, closed]}
    ShapeBase:
      type: object
      required: [shapeType]
      properties:
        shapeType: {type: string}
    Circle:
      allOf:
        - $ref: '#/components/schemas/ShapeBase'
        - type: object
          properties:
            radius: {type: number}
    Square:
      allOf:
        - $ref: '#/components/schemas/ShapeBase'
        - type: object
          properties:
            side: {type: number}
    Triangle:
      allOf:
        - $ref: '#/components/schemas/ShapeBase'
        - type: object
          required: [shapeType]
          properties:
            shapeType: {type: string, const: tri}
            corners: {type: integer}
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Circle'
        - $ref: '#/components/schemas/Square'
        - $ref: '#/components/schemas/Triangle'
      discriminator: {propertyName: shapeType}
    Drawing:
      type: object
      properties:
        shapes:
          type: array
          items: {$ref: '#/components/schemas/Shape'}
    TextPart:
      type: object
      required: [type, value]
      properties:
        type: {const: text}
        value: {type: string}
    ImagePart:
      type: object
      required: [type, value]
      properties:
        type: {const: image}
        value: {type: string}
    Part:
      anyOf:
        - $ref: '#/components/schemas/TextPart'
        - $ref: '#/components/schemas/ImagePart'
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "unions", SPEC)


def _sent(recorder: Any) -> Any:
    return json.loads(recorder.last.content)


# -- 1. tags are always sent; implied values need not be given --------------------------------


def test_a_defaulted_const_tag_is_sent(api: Package) -> None:
    client, recorder = api.client(json_response(200, {"kind": "email", "to": "a@b"}))
    client.notifications.send(body=api.models.EmailNotification(to="a@b"))
    assert _sent(recorder) == {"kind": "email", "to": "a@b"}  # unset `priority`, `note`: not sent


def test_a_defaulted_one_member_enum_tag_is_sent(api: Package) -> None:
    client, recorder = api.client(json_response(200, {"kind": "sms", "number": "1"}))
    client.notifications.send(body=api.models.SmsNotification(number="1"))
    assert _sent(recorder) == {"kind": "sms", "number": "1"}


def test_a_required_const_is_implied(api: Package) -> None:
    push = api.models.PushNotification(device="d1")
    assert push.kind == "push"
    client, recorder = api.client(json_response(200, {"kind": "push", "device": "d1"}))
    assert type(client.notifications.send(body=push)) is api.models.PushNotification
    assert _sent(recorder) == {"kind": "push", "device": "d1"}


def test_tags_are_sent_from_dicts_and_nested_lists(api: Package) -> None:
    client, recorder = api.client(json_response(200, {"items": []}))
    client.outbox.queue_notifications(items=[{"to": "x", "kind": "email"}, api.models.SmsNotification(number="2"),
                                      api.models.EmailNotification(to="y")])
    assert _sent(recorder) == {"items": [{"to": "x", "kind": "email"}, {"kind": "sms", "number": "2"},
                                         {"kind": "email", "to": "y"}]}


def test_prism_accepts_requests_whose_tags_are_defaulted(api: Package) -> None:
    """Prism validates each request against the document (a missing tag fails its oneOf)."""
    seen: list[httpx.Response] = []
    with PrismServer(api.spec_path) as prism:
        http = httpx.Client(event_hooks={"response": [seen.append]})
        client = api.module.Client(base_url=prism.base_url, max_retries=0, http_client=http)
        client.notifications.send(body=api.models.EmailNotification(to="a@b"))
        client.notifications.send(body=api.models.SmsNotification(number="1"))
        client.notifications.send(body=api.models.PushNotification(device="d"))
        client.outbox.queue_notifications(items=[api.models.EmailNotification(to="y"), {"kind": "sms", "number": "3"}])
    assert [r.status_code for r in seen] == [200] * 4
    for response in seen:
        complaints = [v for v in violations(response) if v.get("location", [""])[:1] != ["response"]]
        assert complaints == [], (response.request.content, complaints)


# -- 2. implied mappings: enum/const, component name, through allOf ---------------------------


def test_tags_from_the_branch_enum_pick_the_model_in_requests_and_responses(api: Package) -> None:
    reply = {"messages": [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
    ]}
    client, recorder = api.client(json_response(200, reply))
    result = client.chat.chat(messages=[{"role": "user", "content": "hi"},
                                   api.models.AssistantMessage(role="assistant", content="ok")])
    assert _sent(recorder) == {"messages": [{"role": "user", "content": "hi"},
                                            {"role": "assistant", "content": "ok"}]}
    user, assistant = result.messages
    assert type(user) is api.models.UserMessage and type(assistant) is api.models.AssistantMessage
    assert assistant.tool_calls[0].function.name == "f"


def test_tags_by_component_name_and_through_all_of(api: Package) -> None:
    reply = {"shapes": [{"shapeType": "Circle", "radius": 1}, {"shapeType": "Square", "side": 2},
                        {"shapeType": "tri", "corners": 3}]}
    client, recorder = api.client(json_response(200, reply))
    drawing = client.shapes.add(body={"shapeType": "tri", "corners": 3})
    assert _sent(recorder) == {"shapeType": "tri", "corners": 3}
    assert [type(s).__name__ for s in drawing.shapes] == ["Circle", "Square", "Triangle"]
    client.shapes.add(body=api.models.Triangle(corners=4))  # the const through allOf is implied
    assert _sent(recorder) == {"shapeType": "tri", "corners": 4}
    with pytest.raises(api.errors.ParameterError):
        client.shapes.add(body={"shapeType": "Triangle", "corners": 3})  # its tag is "tri"


# -- 3. forward compatibility: responses keep new values, requests refuse them ----------------


def test_an_unknown_tag_in_a_response_is_an_unknown_variant_with_every_field(api: Package) -> None:
    client, _ = api.client(json_response(200, {"kind": "pigeon", "to": "roof", "weight": 2}))
    result = client.notifications.send(body=api.models.PushNotification(device="d"))
    assert type(result) is api.models.UnknownVariant
    assert result.model_extra == {"kind": "pigeon", "to": "roof", "weight": 2}
    assert result.model_dump() == {"kind": "pigeon", "to": "roof", "weight": 2}


def test_unknown_values_nested_in_a_response_are_kept(api: Package) -> None:
    reply = {"status": "archived", "messages": [
        {"role": "system", "content": "be brief"},
        {"role": "assistant", "tool_calls": [
            {"id": "c1", "type": "web_search", "function": {"name": "f", "arguments": "{}"}}]}]}
    client, _ = api.client(json_response(200, reply))
    result = client.chat.chat(messages=[])
    assert result.status == "archived"
    system, assistant = result.messages
    assert type(system) is api.models.UnknownVariant and system.model_extra["role"] == "system"
    assert assistant.tool_calls[0].type == "web_search"


def test_an_unknown_enum_in_an_error_body_is_kept(api: Package) -> None:
    client, _ = api.client(json_response(422, {"kind": "email", "to": "x", "priority": "urgent"}))
    with pytest.raises(api.errors.UnprocessableEntityError) as caught:
        client.notifications.send(body=api.models.EmailNotification(to="x"))
    assert caught.value.body == {"kind": "email", "to": "x", "priority": "urgent"}  # documented as object


def test_a_plain_union_tries_listed_consts_first(api: Package) -> None:
    reply = [{"type": "image", "value": "a.png"}, {"type": "text", "value": "t"}, {"type": "video", "value": "v"}]
    client, _ = api.client(json_response(200, reply))
    image, text, video = client.parts.get()
    assert type(image) is api.models.ImagePart and type(text) is api.models.TextPart
    assert video.type == "video" and video.value == "v"  # kept, in the first member that fits


@pytest.mark.parametrize(
    ("call", "arguments"),
    [
        ("notifications.send", {"body": {"kind": "pigeon", "to": "x"}}),
        ("notifications.send", {"body": {"kind": "email", "to": "x", "priority": "urgent"}}),
        ("chat.chat", {"messages": [{"role": "system", "content": "x"}]}),
        ("chat.chat", {"messages": [], "status": "archived"}),
        ("outbox.queue_notifications", {"items": [{"kind": "push", "device": "d"}, {"kind": "fax"}]}),
    ],
)
def test_unlisted_values_in_a_request_raise_parameter_error(api: Package, call: str, arguments: Any) -> None:
    client, recorder = api.client()
    with pytest.raises(api.errors.ParameterError):
        method_of(client, call)(**arguments)
    assert recorder.requests == []


def test_constructing_a_model_with_an_unlisted_value_fails(api: Package) -> None:
    with pytest.raises(ValueError, match="urgent"):
        api.models.EmailNotification(to="x", priority="urgent")
    with pytest.raises(ValueError):
        api.models.PushNotification(kind="pull", device="d")


def test_unknown_values_are_typed_for_the_user(api: Package) -> None:
    usage = api.out / f"use_{api.name}.py"
    usage.write_text(textwrap.dedent(f"""\
        from {api.name} import Client, models


        def describe(client: Client) -> str:
            result = client.chat.chat(messages=[models.UserMessage(content="hi")])  # role implied
            status: str | None = result.status  # Literal["open", "closed"] | str
            if status == "open":
                return "open"
            lines: list[str] = []
            for message in result.messages:
                if isinstance(message, models.UnknownVariant):
                    lines.append(str((message.model_extra or {{}}).get("role")))
                elif isinstance(message, models.AssistantMessage):
                    lines.extend(call.type for call in message.tool_calls or [])
                else:
                    lines.append(message.content)
            return ",".join(lines) + (status or "")


        def send(client: Client) -> None:
            client.notifications.send(body=models.EmailNotification(to="a"))
            client.notifications.send(body=models.PushNotification(device="d"))
        """), encoding="utf-8")
    checked = mypy_strict(api.out, api.name, usage.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr


# -- the OpenAI chat completion, end to end (a trimmed excerpt of its published document) -----

OPENAI_EXCERPT = """
openapi: 3.1.0
info: {title: OpenAI excerpt, version: 2.3.0}
servers: [{url: 'https://api.openai.com/v1'}]
security: [{ApiKeyAuth: []}]
paths:
  /chat/completions:
    post:
      operationId: createChatCompletion
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/CreateChatCompletionRequest'}}}
      responses:
        '200':
          description: OK
          content: {application/json: {schema: {$ref: '#/components/schemas/CreateChatCompletionResponse'}}}
components:
  securitySchemes:
    ApiKeyAuth: {type: http, scheme: bearer}
  schemas:
    CreateModelResponseProperties:
      type: object
      properties:
        temperature: {anyOf: [{type: number, minimum: 0, maximum: 2}, {type: 'null'}]}
        user: {type: string}
    CreateChatCompletionRequest:
      allOf:
        - $ref: '#/components/schemas/CreateModelResponseProperties'
        - type: object
          required: [model, messages]
          properties:
            messages:
              type: array
              minItems: 1
              items: {$ref: '#/components/schemas/ChatCompletionRequestMessage'}
            model: {type: string}
            tools:
              type: array
              items: {$ref: '#/components/schemas/ChatCompletionTool'}
            service_tier: {$ref: '#/components/schemas/ServiceTier'}
    ServiceTier:
      anyOf:
        - {type: string, enum: [auto, default, flex, scale, priority], default: auto}
        - {type: 'null'}
    ChatCompletionRequestMessage:
      oneOf:
        - $ref: '#/components/schemas/ChatCompletionRequestSystemMessage'
        - $ref: '#/components/schemas/ChatCompletionRequestUserMessage'
        - $ref: '#/components/schemas/ChatCompletionRequestAssistantMessage'
        - $ref: '#/components/schemas/ChatCompletionRequestToolMessage'
      discriminator: {propertyName: role}
    ChatCompletionRequestSystemMessage:
      type: object
      required: [content, role]
      properties:
        content: {type: string}
        role: {type: string, enum: [system], x-stainless-const: true}
        name: {type: string}
    ChatCompletionRequestUserMessage:
      type: object
      required: [content, role]
      properties:
        content:
          oneOf:
            - {type: string}
            - type: array
              minItems: 1
              items: {$ref: '#/components/schemas/ChatCompletionRequestUserMessageContentPart'}
        role: {type: string, enum: [user], x-stainless-const: true}
    ChatCompletionRequestUserMessageContentPart:
      oneOf:
        - $ref: '#/components/schemas/ChatCompletionRequestMessageContentPartText'
        - $ref: '#/components/schemas/ChatCompletionRequestMessageContentPartImage'
    ChatCompletionRequestMessageContentPartText:
      type: object
      required: [type, text]
      properties:
        type: {type: string, enum: [text]}
        text: {type: string}
    ChatCompletionRequestMessageContentPartImage:
      type: object
      required: [type, image_url]
      properties:
        type: {type: string, enum: [image_url]}
        image_url:
          type: object
          required: [url]
          properties:
            url: {type: string, format: uri}
            detail: {type: string, enum: [auto, low, high], default: auto}
    ChatCompletionRequestAssistantMessage:
      type: object
      required: [role]
      properties:
        content: {anyOf: [{type: string}, {type: 'null'}]}
        role: {type: string, enum: [assistant], x-stainless-const: true}
        tool_calls: {$ref: '#/components/schemas/ChatCompletionMessageToolCalls'}
    ChatCompletionRequestToolMessage:
      type: object
      required: [role, content, tool_call_id]
      properties:
        role: {type: string, enum: [tool], x-stainless-const: true}
        content: {type: string}
        tool_call_id: {type: string}
    ChatCompletionMessageToolCalls:
      type: array
      items:
        oneOf:
          - $ref: '#/components/schemas/ChatCompletionMessageToolCall'
          - $ref: '#/components/schemas/ChatCompletionMessageCustomToolCall'
        discriminator: {propertyName: type}
    ChatCompletionMessageToolCall:
      type: object
      required: [id, type, function]
      properties:
        id: {type: string}
        type: {type: string, enum: [function], x-stainless-const: true}
        function:
          type: object
          required: [name, arguments]
          properties:
            name: {type: string}
            arguments: {type: string}
    ChatCompletionMessageCustomToolCall:
      type: object
      required: [id, type, custom]
      properties:
        id: {type: string}
        type: {type: string, enum: [custom]}
        custom:
          type: object
          required: [name, input]
          properties:
            name: {type: string}
            input: {type: string}
    ChatCompletionTool:
      type: object
      required: [type, function]
      properties:
        type: {type: string, enum: [function]}
        function:
          type: object
          required: [name]
          properties:
            name: {type: string}
            parameters: {type: object, additionalProperties: true}
    CreateChatCompletionResponse:
      type: object
      required: [choices, created, id, model, object]
      properties:
        id: {type: string}
        choices:
          type: array
          items:
            type: object
            required: [finish_reason, index, message, logprobs]
            properties:
              finish_reason: {type: string, enum: [stop, length, tool_calls, content_filter, function_call]}
              index: {type: integer}
              message: {$ref: '#/components/schemas/ChatCompletionResponseMessage'}
              logprobs: {anyOf: [{type: object}, {type: 'null'}]}
        created: {type: integer}
        model: {type: string}
        service_tier: {$ref: '#/components/schemas/ServiceTier'}
        object: {type: string, enum: [chat.completion]}
    ChatCompletionResponseMessage:
      type: object
      required: [role, content, refusal]
      properties:
        content: {anyOf: [{type: string}, {type: 'null'}]}
        refusal: {anyOf: [{type: string}, {type: 'null'}]}
        tool_calls: {$ref: '#/components/schemas/ChatCompletionMessageToolCalls'}
        role: {type: string, enum: [assistant]}
"""

OPENAI_REPLY = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o",
    "service_tier": "flex_v9",  # a tier added after this client was generated
    "choices": [{
        "index": 0, "finish_reason": "tool_calls", "logprobs": None,
        "message": {"role": "assistant", "content": None, "refusal": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'}},
            {"id": "call_2", "type": "custom", "custom": {"name": "grep", "input": "x"}},
            {"id": "call_3", "type": "shell", "shell": {"command": "ls"}},  # a new kind of tool call
        ]},
    }],
}


@pytest.fixture(scope="module")
def openai(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "openai", OPENAI_EXCERPT)


def test_openai_chat_completion_with_dict_messages_and_tool_calls(openai: Package) -> None:
    client, recorder = openai.client(json_response(200, OPENAI_REPLY), bearer_token="k")
    messages: list[Any] = [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": [{"type": "text", "text": "this?"},
                                     {"type": "image_url", "image_url": {"url": "https://x.test/a.png"}}]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_0", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "call_0", "content": "sunny"},
    ]
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
    completion = client.chat.create_completion(model="gpt-4o", messages=messages, tools=tools)
    sent = _sent(recorder)
    assert sent["messages"] == messages and sent["tools"] == tools and sent["model"] == "gpt-4o"
    assert recorder.last.headers["authorization"] == "Bearer k"
    message = completion.choices[0].message
    function, custom, shell = message.tool_calls
    assert type(function) is openai.models.ChatCompletionMessageToolCall
    assert function.function.name == "get_weather" and json.loads(function.function.arguments) == {"city": "Paris"}
    assert type(custom) is openai.models.ChatCompletionMessageCustomToolCall and custom.custom.input == "x"
    assert type(shell) is openai.models.UnknownVariant and shell.model_extra["shell"] == {"command": "ls"}
    assert completion.service_tier == "flex_v9"


def test_openai_message_models_imply_their_role(openai: Package) -> None:
    client, recorder = openai.client(json_response(200, OPENAI_REPLY), bearer_token="k")
    models = openai.models
    client.chat.create_completion(model="m", messages=[
        models.ChatCompletionRequestSystemMessage(content="s"),
        models.ChatCompletionRequestUserMessage(content=[models.ChatCompletionRequestMessageContentPartText(text="t")]),
    ])
    assert _sent(recorder)["messages"] == [{"content": "s", "role": "system"},
                                           {"content": [{"type": "text", "text": "t"}], "role": "user"}]
    with pytest.raises(openai.errors.ParameterError):
        client.chat.create_completion(model="m", messages=[{"role": "narrator", "content": "x"}])
    with pytest.raises(openai.errors.ParameterError):
        client.chat.create_completion(model="m", messages=[{"role": "user", "content": "x"}], service_tier="flex_v9")
