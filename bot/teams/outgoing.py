"""Outgoing activities that botbuilder can copy cheaply.

`TurnContext.send_activities` and `update_activity` deep-copy every activity before the
adapter sees it. `copy.deepcopy` walks a schema object through `__reduce_ex__` and copies all
of its 40-odd attributes one by one, most of them None, and a card's JSON key by key: about
25 us for a text reply, far more for a card. `OutgoingActivity` copies itself the same way
deepcopy would (a new object of the same class, every mutable value copied, the memo kept),
but passes immutable values over without a call per value.
"""

from __future__ import annotations

import copy
import functools
from enum import Enum
from typing import Any

from botbuilder.schema import Activity
from msrest.serialization import Model

_IMMUTABLE = frozenset({str, int, float, bool, bytes, type(None)})


class OutgoingActivity(Activity):  # type: ignore[misc]
    """An Activity built by netpuls to be sent or to replace a posted one."""

    def __deepcopy__(self, memo: dict[int, Any]) -> OutgoingActivity:
        return _copy_model(self, memo)  # type: ignore[no-any-return]


def _copy(value: Any, memo: dict[int, Any]) -> Any:
    """`copy.deepcopy(value, memo)`, without its per-value overhead for JSON-shaped data."""
    kind: type = type(value)
    if kind in _IMMUTABLE or isinstance(value, Enum):
        return value
    done = memo.get(id(value), memo)
    if done is not memo:
        return done
    if kind is dict:
        new: Any = {}
        memo[id(value)] = new
        _keep_alive(value, memo)
        for key, item in value.items():
            new[_copy(key, memo)] = _copy(item, memo)
        return new
    if kind is list:
        new = []
        memo[id(value)] = new
        _keep_alive(value, memo)
        new.extend(_copy(item, memo) for item in value)
        return new
    if _plain_model(kind):
        return _copy_model(value, memo)
    return copy.deepcopy(value, memo)


def _copy_model(model: Any, memo: dict[int, Any]) -> Any:
    """What deepcopy does with a plain schema object: a new instance, its __dict__ copied."""
    new = object.__new__(type(model))
    memo[id(model)] = new
    _keep_alive(model, memo)
    state = model.__dict__
    if state:
        new.__dict__.update({key: _copy(item, memo) for key, item in state.items()})
    return new


@functools.cache
def _plain_model(kind: type) -> bool:
    """A msrest model that copies itself no differently from any object with a __dict__."""
    return issubclass(kind, Model) and not any(
        hasattr(kind, name) for name in ("__deepcopy__", "__setstate__", "__slots__")
    )


def _keep_alive(value: Any, memo: dict[int, Any]) -> None:
    """As deepcopy does: hold the originals so that their ids are not reused meanwhile."""
    try:
        memo[id(memo)].append(value)
    except KeyError:
        memo[id(memo)] = [value]
