"""The local web page: ``jixiao serve`` (FastAPI + Jinja2, Chinese, offline)."""

from __future__ import annotations

from .app import Settings, create_app

__all__ = ["Settings", "create_app"]
