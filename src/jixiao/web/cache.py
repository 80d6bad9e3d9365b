"""A small in-memory LRU of evaluations, keyed by random tokens, so downloads need no re-upload."""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from typing import Any

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class ResultCache:
    def __init__(self, size: int = 32):
        self.size = max(1, size)
        self._d: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, value: Any) -> str:
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._d[token] = value
            while len(self._d) > self.size:
                self._d.popitem(last=False)
        return token

    def get(self, token: str) -> Any | None:
        if not TOKEN_RE.match(token or ""):
            return None
        with self._lock:
            v = self._d.get(token)
            if v is not None:
                self._d.move_to_end(token)
            return v

    def __len__(self) -> int:
        return len(self._d)
