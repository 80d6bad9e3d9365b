"""ASGI middleware guarding the page: security headers on every response, and the Host and Origin
checks that keep other web sites out (DNS rebinding, cross-site form posts)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

#: defence in depth: even if something slipped past escaping, no foreign script runs and no page frames us
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; object-src 'none'; "
        b"style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; "
        b"base-uri 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # not no-referrer: that makes form posts send "Origin: null"
    (b"cache-control", b"no-store"),
]

LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD = frozenset({"0.0.0.0", "::", ""})
DRAIN_CAP = 64 * 1024 * 1024


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (unless already set)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(msg):
            if msg["type"] == "http.response.start":
                have = {k.lower() for k, _ in msg.get("headers", [])}
                msg = dict(
                    msg, headers=[*msg.get("headers", []), *[h for h in SECURITY_HEADERS if h[0] not in have]]
                )
            await send(msg)

        await self.app(scope, receive, send_with_headers)


def host_name(netloc: str) -> str:
    """'127.0.0.1:8000' → '127.0.0.1'; '[::1]:8000' → '::1'; names lower-cased."""
    netloc = netloc.strip().lower()
    if netloc.startswith("["):
        return netloc[1 : netloc.find("]")] if "]" in netloc else netloc
    return netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def allowed_hosts(bind: str) -> tuple[frozenset[str], bool]:
    """(names the Host header may carry, whether any IP literal is fine too).

    Bound to one address: the local names and that address. Bound to every address (0.0.0.0):
    also this computer's name and any IP literal — a DNS-rebinding page always sends a domain name.
    """
    names = set(LOCAL_NAMES)
    bind = (bind or "").strip().lower().strip("[]")
    if bind not in WILDCARD:
        names.add(bind)
        return frozenset(names), False
    try:
        names.add(socket.gethostname().lower())
        names.add(socket.getfqdn().lower())
    except OSError:
        pass
    return frozenset(names), True


class HostOriginGuard:
    """Refuses requests whose Host is not this server, and unsafe requests sent by another site."""

    def __init__(self, app, bind: str, refuse: Callable[[int, str, str], tuple[int, list, bytes]]):
        self.app = app
        self.names, self.any_ip = allowed_hosts(bind)
        self.refuse = refuse  # (status, message, hint) -> (status, headers, body)

    def host_ok(self, host: str) -> bool:
        name = host_name(host)
        return name in self.names or (self.any_ip and _is_ip(name))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        problem = None
        if not self.host_ok(host):
            problem = (
                400,
                f"本页面不接受通过“{host_name(host)[:80]}”这个地址访问。",
                "请在浏览器地址栏输入启动时显示的地址，例如 http://127.0.0.1:8000/。",
            )
        elif scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            site = headers.get("sec-fetch-site", "")
            cross = site in ("cross-site", "same-site")
            if origin is not None:
                cross = cross or origin == "null" or urlsplit(origin).netloc.lower() != host.lower()
            if cross:
                problem = (
                    403,
                    "拒绝了来自其他网站的提交。",
                    "只能在本页面上提交文件；请从本页面的首页重新操作。",
                )
        if problem is None:
            await self.app(scope, receive, send)
            return
        seen = 0
        while seen < DRAIN_CAP:  # read the request body away so the browser sees our page
            msg = await receive()
            seen += len(msg.get("body", b""))
            if msg["type"] != "http.request" or not msg.get("more_body", False):
                break
        status, out_headers, body = self.refuse(*problem)
        await send({"type": "http.response.start", "status": status, "headers": out_headers})
        await send({"type": "http.response.body", "body": body})
