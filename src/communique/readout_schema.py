"""The JSON Schema of Readout JSON, generated from the model's dataclasses (never written by
hand, so a field added to the model is in the schema the moment it is serialised).

``communique schema`` prints it and ``docs/readout.schema.json`` holds it (a test keeps the file
up to date); the API's OpenAPI document embeds it; every extraction in the test suite is
validated against it (``tests/conftest.py``).

How it is made: each dataclass's JSON keys are those its ``to_dict()`` writes (read from a
sample instance), each key's type comes from the field's type hint. The few places where the
JSON differs from the fields (mentions as ``[start, end]`` pairs, topics as ids with their
evidence apart, the ``schema`` tag) are :data:`OVERRIDES`; a key that is neither a field nor an
override stops the generator with a message that says so.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import types
import typing
from typing import Any

import communique.model as model
from communique.model import SCHEMA, Readout, Span

JsonSchema = dict[str, Any]
DIALECT = "https://json-schema.org/draft/2020-12/schema"

_OFFSET: JsonSchema = {"type": "integer", "minimum": 0}
OVERRIDES: dict[tuple[str, str], JsonSchema] = {
    ("Span", "start"): _OFFSET,
    ("Span", "end"): _OFFSET,
    ("Readout", "schema"): {"const": SCHEMA, "description": "The contract's name and version"},
    ("Readout", "topics"): {
        "type": "array",
        "items": {"type": "string"},
        "description": "Topic ids (docs/taxonomy.md)",
    },
    ("Readout", "topic_evidence"): {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"$ref": "#/$defs/Span"}},
        "description": "Each topic's evidence, by topic id",
    },
    ("Event", "sectors"): {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": "The sector (CAMEO agent code: GOV, MIL, COP ...) of each party whose "
        "sector the event's sentence gives, by actor id",
    },
    ("Actor", "mentions"): {
        "type": "array",
        "items": {
            "type": "array",
            "prefixItems": [_OFFSET, _OFFSET],
            "minItems": 2,
            "maxItems": 2,
        },
        "description": "[start, end) character offsets of each mention in document.text",
    },
}
"""JSON keys whose shape is not their field's type hint, by (class, key)."""

DESCRIPTIONS: dict[str, str] = {
    "Span": "Character offsets [start, end) into document.text",
    "Document": "The normalised text the extractor saw, with its metadata",
    "Actor": "A person, state or organisation: one per real entity, with all its mentions",
    "Event": "An encounter (talks, meeting, call, visit, summit, message, signing) or a statement",
    "Location": "A place with its country and coordinates",
    "Agreement": "An agreement signed or witnessed",
    "Initiative": "A named initiative (Belt and Road, ...)",
    "Relationship": "A relationship label between two countries",
}


def _sample(cls: type) -> Any:
    """An instance of a dataclass with placeholder values for its required fields."""
    hints = typing.get_type_hints(cls, vars(model))
    values = {}
    for f in dataclasses.fields(cls):
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            values[f.name] = _placeholder(hints[f.name])
    return cls(**values)


def _placeholder(hint: Any) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return args[0]
    if origin in (typing.Union, types.UnionType):
        return None if type(None) in args else _placeholder(args[0])
    if origin is tuple or hint is tuple:
        return ()
    if dataclasses.is_dataclass(hint):
        return _sample(hint)  # type: ignore[arg-type]
    return {str: "", int: 0, float: 0.0, bool: False}.get(hint)


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, JsonSchema] = {}

    def of(self, hint: Any) -> JsonSchema:
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if hint is type(None):
            return {"type": "null"}
        if origin is typing.Literal:
            return {"enum": list(args)}
        if origin in (typing.Union, types.UnionType):
            options = [self.of(a) for a in args]
            simple = [o.get("type") for o in options]
            if all(isinstance(t, str) for t in simple) and all(set(o) == {"type"} for o in options):
                return {"type": simple}
            return {"anyOf": options}
        if origin is tuple:
            item = args[0] if args else Any
            return {"type": "array", "items": self.of(item)}
        if origin in (list, dict):
            if origin is list:
                return {"type": "array", "items": self.of(args[0])}
            return {"type": "object", "additionalProperties": self.of(args[1])}
        if dataclasses.is_dataclass(hint):
            return self.ref(hint)  # type: ignore[arg-type]
        simple_types = {str: "string", int: "integer", float: "number", bool: "boolean"}
        if hint in simple_types:
            return {"type": simple_types[hint]}
        raise TypeError(f"readout_schema: no JSON type for {hint!r}; add a case or an override")

    def ref(self, cls: type) -> JsonSchema:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder while it is built
            self.defs[name] = self.object(cls)
        return {"$ref": f"#/$defs/{name}"}

    def object(self, cls: type) -> JsonSchema:
        hints = typing.get_type_hints(cls, vars(model))
        fields = {f.name for f in dataclasses.fields(cls)}
        keys = list(_sample(cls).to_dict()) if hasattr(cls, "to_dict") else sorted(fields)
        properties: dict[str, JsonSchema] = {}
        for key in keys:
            override = OVERRIDES.get((cls.__name__, key))
            if override is not None:
                properties[key] = override
            elif key in fields:
                properties[key] = self.of(hints[key])
            else:
                raise TypeError(
                    f"readout_schema: {cls.__name__}.to_dict() writes {key!r}, which is not a "
                    f"field: add ({cls.__name__!r}, {key!r}) to OVERRIDES"
                )
        out: JsonSchema = {"type": "object"}
        if cls.__name__ in DESCRIPTIONS:
            out["description"] = DESCRIPTIONS[cls.__name__]
        out["properties"] = properties
        out["required"] = keys
        return out


@functools.cache
def _schema() -> JsonSchema:
    builder = _Builder()
    builder.ref(Span)
    root = builder.object(Readout)
    return {
        "$schema": DIALECT,
        "$id": "urn:communique:schema:readout:1",
        "title": "communique Readout JSON, version 1",
        "description": (
            "Everything extracted from one readout. Offsets are character offsets into "
            "document.text; country codes are ISO 3166-1 alpha-3 (organisations have codes of "
            "their own); dates are ISO 8601. Fields may be added within version 1; none is "
            "renamed or dropped."
        ),
        **root,
        "$defs": dict(sorted(builder.defs.items())),
    }


def readout_schema(*, inline: bool = False, strict: bool = False) -> JsonSchema:
    """The JSON Schema (2020-12) of Readout JSON version 1.

    ``inline``: every ``$ref`` replaced by its definition (for an OpenAPI document, where
    ``#/$defs/...`` would point elsewhere). ``strict``: no key beyond those the model writes
    (``additionalProperties: false``), for tests; the published schema allows keys to be added.
    """
    schema = copy.deepcopy(_schema())
    if strict:
        _walk(schema, _forbid_extra)
    if inline:
        defs = schema.pop("$defs")
        schema = _inline(schema, defs)
        for key in ("$schema", "$id"):
            schema.pop(key, None)
    return schema


def _walk(node: Any, visit: Any) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def _forbid_extra(node: JsonSchema) -> None:
    if node.get("type") == "object" and "properties" in node:
        node["additionalProperties"] = False


def _inline(node: Any, defs: dict[str, JsonSchema]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def schema_json() -> str:
    """The schema as ``communique schema`` prints it and docs/readout.schema.json holds it."""
    return json.dumps(readout_schema(), indent=2, ensure_ascii=False) + "\n"
