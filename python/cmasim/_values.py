"""Python values as the YAML text of a ``--set key.path=value`` override."""

import json
import math
from collections.abc import Mapping


def yaml_text(value):
    """The YAML text of ``value``: strings are YAML already ("0.9", "{dist: fixed, value: 3}"),
    numbers in their shortest exact form, None removes the key, lists and dicts as flow YAML."""
    if isinstance(value, str):
        return value
    if value is None:
        return "~"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)  # the shortest text that reads back to the same double
    if hasattr(value, "item"):  # a NumPy scalar
        return yaml_text(value.item())
    if isinstance(value, (list, tuple, Mapping)):
        return json.dumps(value, default=_plain)  # JSON is YAML flow style
    raise TypeError(f"cannot use a {type(value).__name__} as a scenario value: {value!r}")


def _plain(value):
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot use a {type(value).__name__} as a scenario value: {value!r}")


def override_list(overrides):
    """``key.path=value`` strings from a dict {key path: value}, a list of such strings, or None."""
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return [f"{path}={yaml_text(value)}" for path, value in overrides.items()]
    if isinstance(overrides, str):
        raise TypeError("overrides: a dict {key.path: value} or a list of 'key.path=value' strings")
    out = list(overrides)
    for item in out:
        if not isinstance(item, str) or "=" not in item:
            raise TypeError(f"override {item!r} is not a 'key.path=value' string")
    return out
