"""Per-call overhead of a generated method against the same request written by hand.

Both sides send GET /v1/task/{id}/latest with the API key header through one
`httpx.MockTransport` and validate the same JSON body as `models.TaskVersionResponse`; the
hand-written side is `http.get(...)`, a status check and `Model.model_validate(r.json())`.
Run from the repository root (imports `generated.anchorbrowser`). Prints microseconds per call.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generated.anchorbrowser import AsyncClient, Client, models  # noqa: E402

TASK = str(uuid.UUID(int=7))
BODY = json.dumps({"data": {
    "id": TASK, "taskId": TASK, "version": "3", "code": "Y29kZQ==", "language": "typescript",
    "description": "a task", "deleted": False,
    "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-02T00:00:00Z",
}}).encode()
BASE = "http://api.test"
CALLS, ROUNDS = 2000, 5


def _handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})


def _best(run: Callable[[], None]) -> float:
    """Best of ROUNDS, in microseconds per call (the least disturbed by other load)."""
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) / CALLS * 1e6)
    return min(samples)


def sync_figures() -> tuple[float, float]:
    transport = httpx.MockTransport(_handler)
    client = Client(api_key="k", base_url=BASE, http_client=httpx.Client(transport=transport, base_url=BASE))
    http = httpx.Client(transport=transport, base_url=BASE)

    def generated() -> None:
        for _ in range(CALLS):
            client.get_latest_task_version(TASK)

    def by_hand() -> None:
        for _ in range(CALLS):
            response = http.get(f"/v1/task/{TASK}/latest", headers={"anchor-api-key": "k"})
            if response.status_code >= 400:
                raise RuntimeError(response.status_code)
            models.TaskVersionResponse.model_validate(response.json())

    generated(), by_hand()  # warm up: endpoint descriptions, pydantic validators
    return _best(generated), _best(by_hand)


def async_figures() -> tuple[float, float]:
    transport = httpx.MockTransport(_handler)

    async def measure() -> tuple[float, float]:
        http = httpx.AsyncClient(transport=transport, base_url=BASE)
        client = AsyncClient(api_key="k", base_url=BASE, http_client=httpx.AsyncClient(transport=transport, base_url=BASE))

        async def generated() -> None:
            for _ in range(CALLS):
                await client.get_latest_task_version(TASK)

        async def by_hand() -> None:
            for _ in range(CALLS):
                response = await http.get(f"/v1/task/{TASK}/latest", headers={"anchor-api-key": "k"})
                if response.status_code >= 400:
                    raise RuntimeError(response.status_code)
                models.TaskVersionResponse.model_validate(response.json())

        await generated(), await by_hand()
        return await _abest(generated), await _abest(by_hand)

    return asyncio.run(measure())


async def _abest(run: Callable[[], Awaitable[None]]) -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        await run()
        samples.append((time.perf_counter() - start) / CALLS * 1e6)
    return min(samples)


if __name__ == "__main__":
    for label, (mine, hand) in (("sync", sync_figures()), ("async", async_figures())):
        print(f"{label} {mine:.1f} {hand:.1f} {statistics.fmean([mine / hand * 100 - 100]):.1f}")
