"""Bot Framework schema objects <-> JSON, compiled once per class.

botbuilder's schema objects are msrest models. msrest reads each model's `_attribute_map`
anew for every object it (de)serializes, copies every attribute description, runs key
transformers and regular expressions: about half of the CPU of a `help` turn went to turning
the inbound activity into an `Activity` and the reply back into JSON.

This codec reads each `_attribute_map` once and builds a small encoder and decoder per class
for the shapes JSON actually has. Whenever a value is anything else (a string where a number
is expected, a tuple, a datetime inside an `object`, a class msrest builds specially), the
whole object goes through msrest instead, so results and errors are msrest's own.
tests/test_codec.py checks the two agree, value for value, on generated and recorded data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, tzinfo
from enum import Enum
from typing import Any

from isodate.isotzinfo import UTC, build_tzinfo
from msrest import Deserializer, Serializer
from msrest.serialization import Model

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


class _Slow(Exception):
    """This value is not one the fast path handles; msrest takes the whole object."""


def _plain_in(value: Any) -> Any:
    """A JSON value as msrest's `deserialize_object` returns it: a fresh deep copy."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is dict:
        return {key: _plain_in(item) for key, item in value.items()}
    if kind is list:
        return [_plain_in(item) for item in value]
    raise _Slow


# The shape Teams gives its timestamps ("2026-11-24T09:30:12.1234567Z", local ones with an
# offset); anything else goes to msrest's parser.
_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|([+-])(\d\d):(\d\d))")
_ZONES: dict[str, tzinfo] = {"Z": UTC}


def _iso_datetime(value: Any) -> datetime | None:
    """An ISO 8601 timestamp as msrest's `deserialize_iso` returns it (isodate's time zone
    objects, the fraction cut to microseconds), or None for msrest to parse."""
    if type(value) is not str:
        return None
    match = _ISO.fullmatch(value.upper())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone, sign, hours, minutes = match.groups()
    if not "0001" < year < "9999":  # msrest's range check, on the instant in UTC
        return None
    at = _ZONES.get(zone)
    if at is None:
        if len(_ZONES) > 64:
            return None
        at = _ZONES[zone] = build_tzinfo(zone, sign, int(hours), int(minutes))
    try:
        stamp = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int(fraction[:6].ljust(6, "0")) if fraction else 0,
            at,
        )
        stamp.utcoffset()  # an offset of a day or more raises here, as in msrest's check
    except ValueError:
        return None
    return stamp


def _same(expected: type) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is expected:
            return value
        raise _Slow

    return decode


class Codec:
    """(De)serializes the Connector schema as msrest does, much faster for plain JSON."""

    def __init__(self, models: dict[str, type]) -> None:
        self._models = models
        self.serializer = Serializer(models)  # type: ignore[no-untyped-call]
        self.deserializer = Deserializer(models)  # type: ignore[no-untyped-call]
        self._encoders: dict[type, Encoder] = {}
        self._decoders: dict[str, Decoder] = {}

    # -- public -------------------------------------------------------------------------

    def to_json(self, model: Any) -> Any:
        """A schema object as JSON data, exactly as `model.serialize()` makes it."""
        try:
            return self._encoder(type(model))(model)
        except Exception:
            # Model.serialize() is this call on a Serializer it builds first.
            return self.serializer._serialize(model)  # type: ignore[no-untyped-call]

    def from_json(self, type_name: str, data: Any) -> Any:
        """A schema object (e.g. "Activity", "[ChannelAccount]") from JSON data."""
        if data is None:
            return None
        if isinstance(data, (str, bytes)):  # msrest parses text first: its business
            return self.deserializer(type_name, data)
        try:
            return self._decoder(type_name)(data)
        except Exception:
            return self.deserializer(type_name, data)

    # -- encoding -----------------------------------------------------------------------

    def _encoder(self, cls: type) -> Encoder:
        encoder = self._encoders.get(cls)
        if encoder is None:
            if not issubclass(cls, Model):
                raise _Slow
            encoder = self._encoders[cls] = self._compile_encoder(cls)
        return encoder

    def _compile_encoder(self, cls: type) -> Encoder:
        attribute_map: dict[str, dict[str, Any]] = cls._attribute_map  # type: ignore[attr-defined]
        validation: dict[str, dict[str, Any]] = getattr(cls, "_validation", {})
        if getattr(cls, "_xml_map", None) or any(
            "." in spec["key"] or name == "additional_properties"
            for name, spec in attribute_map.items()
        ):
            raise _Slow  # flattened keys, XML or real additionalProperties: msrest's business
        fields = tuple(
            (name, spec["key"], self._value_encoder(spec["type"]))
            for name, spec in attribute_map.items()
            if not validation.get(name, {}).get("readonly", False)
        )

        def encode(model: Any) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for name, key, value_encoder in fields:
                value = getattr(model, name)
                if value is not None:
                    out[key] = value_encoder(value)
            return out

        return encode

    def _value_encoder(self, type_name: Any) -> Encoder:
        if not isinstance(type_name, str):
            return _always_slow
        simple = {"str": _encode_str, "object": self._encode_object, **_NUMBERS}.get(type_name)
        if simple is not None:
            return simple
        container = _container(type_name, self._value_encoder)
        if container is not None:
            return container
        model = self._models.get(type_name)
        if model is not None and issubclass(model, Model):
            return self._encode_model
        return _always_slow  # dates, bytes, enums declared as types: msrest

    def _encode_model(self, value: Any) -> Any:
        if not isinstance(value, Model):
            raise _Slow
        return self._encoder(type(value))(value)

    def _encode_object(self, value: Any) -> Any:
        kind = type(value)
        if kind is str or kind is int or kind is float or kind is bool:
            return value
        if kind is dict:
            out = {}
            for key, item in value.items():
                if type(key) is not str:
                    raise _Slow
                out[key] = None if item is None else self._encode_object(item)
            return out
        if kind is list:
            return [None if item is None else self._encode_object(item) for item in value]
        if isinstance(value, Model):
            return self._encoder(kind)(value)
        raise _Slow

    # -- decoding -----------------------------------------------------------------------

    def _decoder(self, type_name: str) -> Decoder:
        decoder = self._decoders.get(type_name)
        if decoder is None:
            decoder = self._decoders[type_name] = self._value_decoder(type_name)
        return decoder

    def _value_decoder(self, type_name: Any) -> Decoder:
        if not isinstance(type_name, str) or not type_name:
            return _always_slow
        simple = {"str": _same(str), "object": _plain_in, **_NUMBERS}.get(type_name)
        if simple is not None:
            return simple
        container = _container(type_name, self._value_decoder)
        if container is not None:
            return container
        model = self._models.get(type_name)
        if model is not None and isinstance(model, type) and issubclass(model, Model):
            return self._model_decoder(model)
        deserialize = self.deserializer.deserialize_data  # dates and the like, one value
        if type_name == "iso-8601":  # every activity's timestamp and localTimestamp
            return lambda value: _iso_datetime(value) or deserialize(value, type_name)  # type: ignore[no-untyped-call]

        return lambda value: deserialize(value, type_name)  # type: ignore[no-untyped-call]

    def _model_decoder(self, cls: Any) -> Decoder:
        attribute_map: dict[str, dict[str, Any]] = cls._attribute_map
        validation: dict[str, dict[str, Any]] = getattr(cls, "_validation", {})
        special = getattr(cls, "_subtype_map", None) or any(
            spec.get("readonly") or spec.get("constant") for spec in validation.values()
        )
        if special or any(
            "." in spec["key"] or name == "additional_properties"
            for name, spec in attribute_map.items()
        ):
            return _always_slow
        fields: list[tuple[str, str, Decoder]] = []
        known = frozenset(spec["key"] for spec in attribute_map.values())
        plain = _plain_model(cls)

        def decode(data: Any) -> Any:
            if type(data) is not dict:
                raise _Slow
            if not fields:  # compiled on first use (models refer to each other), all at once
                fields[:] = [
                    (name, spec["key"], self._decoder(spec["type"]))
                    for name, spec in attribute_map.items()
                ]
            values = {}
            for name, key, value_decoder in fields:
                value = data.get(key)
                values[name] = None if value is None else value_decoder(value)
            extra = {key: data[key] for key in data if key not in known}
            if plain:
                model = cls.__new__(cls)
                model.__dict__["additional_properties"] = extra
                model.__dict__.update(values)
                return model
            model = cls(**values)
            if extra:
                model.additional_properties = extra
            return model

        return decode


def _plain_model(cls: type) -> bool:
    """Whether the constructor only stores its arguments (so it can be skipped)."""
    attribute_map = cls._attribute_map  # type: ignore[attr-defined]
    for marker in (object(), None):  # None too: some turn a None into a default
        try:
            stored = vars(cls(**dict.fromkeys(attribute_map, marker)))
        except Exception:
            return False
        if list(stored) != ["additional_properties", *attribute_map] or any(
            stored[name] is not marker for name in attribute_map
        ):
            return False
    return True


_NUMBERS: dict[str, Callable[[Any], Any]] = {
    name: _same(kind) for name, kind in (("bool", bool), ("int", int), ("float", float))
}


def _container(
    type_name: str, coder_of: Callable[[str], Callable[[Any], Any]]
) -> Callable[[Any], Any] | None:
    """The coder for "[X]" or "{X}" from the coder of X; None for any other type name."""
    if type_name[:1] == "[" and type_name[-1:] == "]":
        item = coder_of(type_name[1:-1])
        return lambda value: _each_in_list(value, item)
    if type_name[:1] == "{" and type_name[-1:] == "}":
        item = coder_of(type_name[1:-1])
        return lambda value: _each_in_dict(value, item)
    return None


def _always_slow(_value: Any) -> Any:
    raise _Slow


def _encode_str(value: Any) -> Any:
    if type(value) is str:
        return value
    if isinstance(value, Enum):
        return value.value  # msrest: "If I received an enum, return its value"
    raise _Slow


def _each_in_list(value: Any, item: Callable[[Any], Any]) -> Any:
    """A list, item by item, None kept (both directions: msrest treats them alike)."""
    if type(value) is not list:
        raise _Slow
    return [None if entry is None else item(entry) for entry in value]


def _each_in_dict(value: Any, item: Callable[[Any], Any]) -> Any:
    """A dict with text keys, value by value, None kept."""
    if type(value) is not dict:
        raise _Slow
    out = {}
    for key, entry in value.items():
        if type(key) is not str:
            raise _Slow
        out[key] = None if entry is None else item(entry)
    return out
