"""Spec text that reaches generated code: docstrings and literals, made safe.

A spec is untrusted input. Text becomes either a Python literal (repr) or a docstring with
backslashes, quotes and control characters neutralised, so nothing in a description can
close the string and inject code.
"""

from __future__ import annotations

import re
from typing import Any

from generator.ir import docstring_body

__all__ = ["clean", "docstring_body"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_DOC_LINES = 40


def clean(text: Any) -> str | None:
    """Normalise a description: no control characters, no trailing spaces, no blank edges."""
    if not isinstance(text, str):
        return None
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\t", "    "))
    lines = [line.rstrip() for line in text.strip().split("\n")]
    if len(lines) > MAX_DOC_LINES:
        lines = lines[:MAX_DOC_LINES] + ["..."]
    return "\n".join(lines).strip() or None
