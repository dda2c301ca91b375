# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fault rules: throttling, server errors, slow, dripping, dropped and late responses, injected on request.

A rule matches a request by path (a regular expression searched in the path, or a plain
substring) and optionally by method; each match consumes one of its `count` uses.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from .errors import CODE_BY_STATUS, GraphError

_RULE_FIELDS = frozenset({"path", "method", "status", "count", "retry_after", "delay", "drop", "code", "message",
                          "late", "drip"})


@dataclass
class FaultRule:
    """One injected fault. `count` None means every matching request, forever."""

    path: str
    method: str | None = None
    status: int | None = None
    count: int | None = 1
    retry_after: int | None = None
    delay: float = 0.0
    drop: bool = False
    code: str | None = None
    message: str | None = None
    late: float = 0.0  # applied this many seconds after it came, with no answer (the client's lost answer)
    drip: float = 0.0  # the answer is sent one byte every this many seconds

    @classmethod
    def from_json(cls, data: Any) -> FaultRule:
        """Builds a rule from the control plane's JSON; raises ValueError when it makes no sense."""
        if not isinstance(data, Mapping) or not isinstance(data.get("path"), str):
            raise ValueError("a fault rule is an object with at least a 'path' string")
        unknown = sorted(set(data) - _RULE_FIELDS)
        if unknown:
            raise ValueError(f"unknown fault rule fields {unknown}; known: {sorted(_RULE_FIELDS)}")
        rule = cls(**data)
        if not all(isinstance(value, (int, type(None))) for value in (rule.status, rule.count, rule.retry_after)):
            raise ValueError("'status', 'count' and 'retry_after' are whole numbers")
        for name in ("delay", "late", "drip"):
            value = getattr(rule, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"'{name}' is a number of seconds")
        if rule.status is None and not (rule.drop or rule.delay or rule.late or rule.drip):
            raise ValueError("a fault rule needs a 'status', 'drop': true, a 'delay', 'late' or 'drip'")
        if rule.status is not None and not 400 <= rule.status <= 599:
            raise ValueError("'status' must be an HTTP error status (400-599)")
        if rule.count is not None and rule.count < 1:
            raise ValueError("'count' must be at least 1 (or null for every request)")
        return rule

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        return self.path in path or _searches(self.path, path)

    def error(self) -> GraphError:
        """The Graph error this rule answers with (its status must be set)."""
        status = self.status or 500
        headers = {}
        # Graph always tells a throttled client how long to wait.
        retry_after = 1 if self.retry_after is None and status == 429 else self.retry_after
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        code = self.code or CODE_BY_STATUS.get(status, "UnknownError")
        return GraphError(status, code, self.message or f"Injected fault: {code}.", headers)


def _searches(pattern: str, path: str) -> bool:
    try:
        return re.search(pattern, path) is not None
    except re.error:
        return False


class FaultBook:
    """The active rules, consumed in the order they were added."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(self, rules: list[FaultRule]) -> None:
        with self._lock:
            self._rules.extend(rules)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def active(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(rule) for rule in self._rules]

    def take(self, method: str, path: str) -> FaultRule | None:
        """The first rule matching the request, with one of its uses consumed."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    if rule.count is not None:
                        rule.count -= 1
                        if rule.count == 0:
                            self._rules.remove(rule)
                    return rule
        return None
