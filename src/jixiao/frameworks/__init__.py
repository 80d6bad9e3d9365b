"""Scoring frameworks: YAML data (shipped *.yaml or a user's file) checked against a schema."""

from .loader import (
    DEFAULT_FRAMEWORK,
    Band,
    Framework,
    FrameworkInfo,
    Group,
    Item,
    list_frameworks,
    load_framework,
    parse_framework,
)

__all__ = [
    "DEFAULT_FRAMEWORK",
    "Band",
    "Framework",
    "FrameworkInfo",
    "Group",
    "Item",
    "list_frameworks",
    "load_framework",
    "parse_framework",
]
