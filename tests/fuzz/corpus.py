"""A corpus of malformed and hostile scenario files: mutations of the built-in scenarios (wrong types,
missing and unknown fields, duplicates, bad distributions, references to unknown actors, issues and
options, huge counts, deep nesting, YAML aliases and tags, binary and non-UTF-8 bytes, BOMs, huge
strings) and hypothesis strategies that draw more of them.

Each case is (name, bytes); ``FOLDER`` and ``UNREADABLE`` stand for a directory and a file without
read permission, which the runner makes itself.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml
from hypothesis import strategies as st

BASES = ("two-issue-trade", "three-party-truce", "gaza-ceasefire")
FOLDER = b"<folder>"
UNREADABLE = b"<unreadable>"


def materialise(folder: Path, label: str, content: bytes) -> Path:
    """Write one case into ``folder`` under a name made from its label (the FOLDER case as a folder,
    the UNREADABLE case as a file with no permissions); its path."""
    safe = "".join(c if c.isalnum() else "_" for c in label)[:60]
    path = folder / f"{safe}.yaml"
    if content == FOLDER:
        path.mkdir()
    elif content == UNREADABLE:
        path.write_text("name: x\n")
        path.chmod(0)
    else:
        path.write_bytes(content)
    return path


LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@functools.lru_cache(maxsize=None)
def _builtin(name: str) -> dict:
    return yaml.load((resources.files("truce.scenario.builtin") / f"{name}.yaml").read_text(encoding="utf-8"), Loader=LOADER)


def builtin(name: str) -> dict:
    return copy.deepcopy(_builtin(name))


def dump(data) -> str:
    return yaml.dump(data, Dumper=DUMPER, sort_keys=False, allow_unicode=True)


def _paths(node: Any, path: tuple = ()) -> Iterator[tuple]:
    """Every path to a value inside ``node`` (mapping keys and list indices)."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, path + (index,))


def _set(data: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


def _drop(data: Any, path: tuple) -> Any:
    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return data


WRONG_VALUES = ("", "x" * 300, -1, 0, 10**30, 1.5e308, [], {}, None, True, [1, 2], {"normal": [0.5]}, {"uniform": [0.9, 0.1]},
                {"triangular": [0.1, 0.5]}, {"beta": [-1, 2]}, {"nope": [1, 2]}, "unknown_id")


def mutations(name: str, data: dict) -> Iterator[tuple[str, Any]]:
    """Deterministic mutations of one scenario: each leaf set to each kind of wrong value (a sample of
    the paths), each mapping field dropped, an unknown field, duplicated ids, unknown references."""
    paths = [p for p in _paths(data) if p]
    step = max(1, len(paths) // 40)
    for index, path in enumerate(paths[::step]):
        value = WRONG_VALUES[index % len(WRONG_VALUES)]
        yield f"{name}:set:{'.'.join(map(str, path))}", _set(data, path, value)
        if isinstance(path[-1], str):
            yield f"{name}:drop:{'.'.join(map(str, path))}", _drop(data, path)
    yield f"{name}:unknown-field", {**data, "surprise": 1}
    actors = data["actors"]
    yield f"{name}:duplicate-actor", _set(data, ("actors",), actors + [copy.deepcopy(actors[0])])
    yield f"{name}:duplicate-issue", _set(data, ("issues",), data["issues"] + [copy.deepcopy(data["issues"][0])])
    first_issue = data["issues"][0]["id"]
    stance = actors[0]["stances"][first_issue]
    yield f"{name}:unknown-option", _set(data, ("actors", 0, "stances", first_issue), {**stance, "position": "no-such-option"})
    yield f"{name}:unknown-issue", _set(data, ("actors", 0, "stances"), {**actors[0]["stances"], "no_such_issue": stance})
    for lever in range(len(data.get("levers", []))):
        yield f"{name}:unknown-actor-lever{lever}", _set(data, ("levers", lever, "by"), "nobody")
    yield f"{name}:many-actors", _set(data, ("actors",), [dict(copy.deepcopy(actors[0]), id=f"a{i}") for i in range(1200)])
    yield f"{name}:many-options", _set(data, ("issues", 0, "options"), [f"o{i}" for i in range(1500)])
    yield f"{name}:huge-rounds", {**data, "rounds": 10**9}
    yield f"{name}:no-actors", {**data, "actors": []}
    yield f"{name}:not-a-mapping", [data]


def raw_cases() -> Iterator[tuple[str, bytes]]:
    """Byte-level hostile files."""
    text = (resources.files("truce.scenario.builtin") / "two-issue-trade.yaml").read_bytes()
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(97 + k)}: &{chr(97 + k)} [" + ", ".join([f"*{chr(96 + k)}"] * 9) + "]" for k in range(1, 9)
    ]
    yield "bom", b"\xef\xbb\xbf" + text
    yield "latin-1", text.replace(b"Two", b"T\xe9o")
    yield "binary", bytes(range(256)) * 8
    yield "nul", b"name: \x00\x01\n"
    yield "empty", b""
    yield "alias-bomb", ("\n".join(laughs) + "\nname: x\nactors: *i\nissues: *i\n").encode()
    yield "alias-loop", b"name: &n [*n]\nactors: []\nissues: []\n"
    yield "python-tag", b"name: !!python/object/apply:os.system ['true']\n"
    yield "custom-tag", b"name: !secret x\nactors: []\nissues: []\n"
    yield "deep", b"name: " + b"[" * 400 + b"]" * 400 + b"\n"
    yield "deep-json", b'{"name": ' + b"[" * 400 + b"]" * 400 + b"}"
    yield "huge-int", text.replace(b"rounds: 20", b"rounds: " + b"9" * 5000)
    yield "huge-string", text.replace(b"id: north", b"id: " + b"N" * 1_000_000, 1)
    yield "nan", text.replace(b"reservation: 0.3", b"reservation: .nan", 1)
    yield "inf", text.replace(b"reservation: 0.3", b"reservation: -.inf", 1)
    yield "truncated", text[: len(text) // 2]
    yield "tabs", text.replace(b"  ", b"\t")
    yield "too-big", b"# " + b"x" * (3 * 1024 * 1024)
    yield "folder", FOLDER
    yield "unreadable", UNREADABLE


def corpus() -> list[tuple[str, bytes]]:
    """Every deterministic case, as file contents (YAML for the mutations)."""
    cases = list(raw_cases())
    for name in BASES:
        for label, data in mutations(name, builtin(name)):
            big = label.endswith(("many-actors", "many-options"))  # JSON (which is YAML): dumped 100x faster
            cases.append((label, (json.dumps(data) if big else dump(data)).encode("utf-8")))
        cases.append((f"{name}:json", json.dumps(builtin(name)).encode()))
    return cases


def leaf_values() -> st.SearchStrategy:
    return st.one_of(
        st.none(), st.booleans(), st.integers(min_value=-(10**20), max_value=10**20), st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=30), st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), max_size=4),
        st.dictionaries(st.sampled_from(["normal", "uniform", "triangular", "beta", "lognormal", "x"]), st.lists(st.floats(-5, 5), max_size=4), max_size=1),
    )


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    """A built-in scenario with one to three of its values replaced, or fields dropped."""
    name = draw(st.sampled_from(BASES))
    data = builtin(name)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        if draw(st.booleans()) and isinstance(path[-1], str):
            data = _drop(data, path)
        else:
            data = _set(data, path, draw(leaf_values()))
    return name, dump(data).encode("utf-8", "surrogatepass")


Check = Callable[[str, bytes], None]
