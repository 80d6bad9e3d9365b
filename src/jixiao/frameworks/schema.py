"""JSON schema of a scoring framework YAML (DESIGN §6). docs/frameworks.md explains each key."""

from __future__ import annotations

RULES = [
    "proportional",
    "inverse",
    "bands",
    "deduct",
    "qualitative",
    "manual",
    "kpi",
    "not_applicable",
    "equal",
]
NUMBER = {"type": ["number", "string"], "pattern": r"^-?\d+(\.\d+)?$"}
CONDITION = r"^\s*((<=|<|>=|>|==|=|≤|≥)\s*-?\d+(\.\d+)?|else|其他)\s*$"

GRADES = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["grade", "min"],
        "properties": {"grade": {"type": "string", "minLength": 1}, "min": NUMBER},
    },
}

BAND = {
    "type": "object",
    "additionalProperties": False,
    "required": ["when"],
    "properties": {
        "when": {"type": "string", "pattern": CONDITION},
        "points": NUMBER,
        "pct": NUMBER,
        "label": {"type": "string"},
    },
    "oneOf": [{"required": ["points"]}, {"required": ["pct"]}],
}

LEVEL_BAND = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "min_pct"],
    "properties": {"name": {"type": "string"}, "min_pct": NUMBER},
}

RULE_PROPS = {
    "rule": {"enum": RULES},
    "source": {"type": "string", "minLength": 1},
    "target": NUMBER,
    "cap": {"type": "boolean"},
    "bands": {"type": "array", "minItems": 1, "items": BAND},
    "threshold": NUMBER,
    "direction": {"enum": ["above", "below"]},
    "per": NUMBER,
    "points": NUMBER,
    "step": {"enum": ["continuous", "each", "floor"]},
    "levels": {"type": "array", "minItems": 1, "items": LEVEL_BAND},
    "mode": {"enum": ["average", "count", "weighted_sum"]},
    "if_not_computable": {"enum": ["pending", "not_applicable", "zero", "full"]},
    "kpis": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
    "note": {"type": "string"},
}

ITEM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "name", "weight", "rule"],
    "properties": {
        "id": {"type": "string", "pattern": r"^[A-Za-z0-9_.\-]+$"},
        "name": {"type": "string", "minLength": 1},
        "weight": NUMBER,
        **RULE_PROPS,
    },
}

LEVEL2 = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "items"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "weight": NUMBER,
        "items": {"type": "array", "minItems": 1, "items": ITEM},
    },
}

LEVEL1 = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "children"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "weight": NUMBER,
        "children": {"type": "array", "minItems": 1, "items": LEVEL2},
    },
}

COMMON = {
    "id": {"type": "string", "pattern": r"^[A-Za-z0-9_.\-]+$"},
    "name": {"type": "string", "minLength": 1},
    "kind": {"enum": ["department", "project"]},
    "description": {"type": "string"},
    "total": NUMBER,
    "grades": GRADES,
    "rescale": {"type": "boolean"},
    "reference": {
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "url"],
        "properties": {
            "title": {"type": "string", "minLength": 1},
            "url": {"type": "string", "minLength": 1},
            "note": {"type": "string"},
        },
    },
}

DEPARTMENT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "name", "total", "levels"],
    "properties": {**COMMON, "levels": {"type": "array", "minItems": 1, "items": LEVEL1}},
}

PROJECT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "name", "kind", "total", "execution", "groups"],
    "properties": {
        **COMMON,
        "execution": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "weight", "rule"],
            "properties": {"name": {"type": "string"}, "weight": NUMBER, **RULE_PROPS},
        },
        "groups": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["level1", "weight"],
                "properties": {
                    "level1": {"type": "string", "minLength": 1},
                    "weight": NUMBER,
                    "match": {"type": "array", "items": {"type": "string", "minLength": 1}},
                },
            },
        },
        "natures": {
            "type": "object",
            "additionalProperties": {
                "enum": ["proportional", "inverse", "equal", "manual", "qualitative", "not_applicable"]
            },
        },
        "missing_group": {"enum": ["pending", "not_applicable"]},
        "qualitative_levels": {"type": "array", "minItems": 1, "items": LEVEL_BAND},
    },
}
