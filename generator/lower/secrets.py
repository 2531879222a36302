"""Which parameters carry secrets: their values are masked wherever the client shows a request.

A parameter is secret when its schema says so (`format: password`, `writeOnly`) or its name
says so (`password`, `client_secret`, `X-Auth-Token`, `apiKey`, `sessionId`). Masking too
much costs a little debugging; too little leaks a credential. Pagination tokens
(`page_token`, `nextToken`) stay visible: they are how a user follows a list.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from generator.ir import Operation
from generator.lower.names import ascii_words

_WORDS = frozenset({
    "password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "credential",
    "credentials", "signature", "auth", "authorization", "sessionid", "otp",
})
_PAIRS = frozenset({("api", "key"), ("access", "key"), ("private", "key"), ("session", "id")})
_PAGING = frozenset({"page", "next", "prev", "previous", "continuation", "cursor", "pagination", "sync"})


def secret_name(name: str) -> bool:
    """Whether a parameter's name says it carries a secret."""
    words = [w.lower() for w in ascii_words(name)]
    if _PAGING.intersection(words):
        return False
    return bool(_WORDS.intersection(words)) or any(pair in _PAIRS for pair in itertools.pairwise(words))


def secret_params(operations: Iterable[Operation], path: bool = False) -> tuple[str, ...]:
    """The lowercase wire names of every secret query, header or cookie parameter (`path`:
    of every secret path parameter, `/keys/{api_key}`): the client masks them by name (a
    URL's query, headers, log lines), or the path segments their values fill."""
    return tuple(sorted({
        p.wire.lower() for op in operations for p in op.params if p.secret and (p.location == "path") is path
    }))
