"""What every format module shares: bounded reading, errors that name the file and the element,
ids made from the field's names, numbers written so that they read back the same, the loss report."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from truce.errors import InputError
from truce.limits import Limits

MAX_FILES = 101
"""Files one import reads at most (a domain and up to 100 profiles: truce's cap on parties)."""
NUMBER_DIGITS = 12
"""Significant digits of a number truce computes and writes (a discount factor, a slope): enough that a
value read back and written again is the same text, few enough that float noise does not show."""


class InterchangeError(InputError):
    """A file of another tool that truce cannot read: the message names the file, the element or
    field, what was found and what was expected. Reported as the user's to fix (exit 2)."""

    def __init__(self, source: str | Path, where: str, found: str, expected: str):
        location = f"{source}: {where}" if where else f"{source}"
        super().__init__(f"{location}: found {found}; expected {expected}")
        self.source, self.where, self.found, self.expected = str(source), where, found, expected


def candidate_files(paths: list[Path], suffix: str) -> tuple[Path, list[Path]]:
    """The files an import reads, and the path its errors name: a folder's files ending ``suffix``, a single
    file's and those of its folder, or the files given when there are several."""
    if len(paths) == 1:
        folder = paths[0] if paths[0].is_dir() else paths[0].parent
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() == suffix and p.is_file())
    else:
        folder, files = paths[0].parent, list(paths)
        for path in files:
            if not path.is_file():
                raise InterchangeError(path, "", "not a file", f"a {suffix} file (several paths must all be files)")
    if len(files) > MAX_FILES:
        raise InterchangeError(folder, "", f"{len(files)} {suffix} files", f"at most {MAX_FILES} (a domain and up to {MAX_FILES - 1} profiles)")
    return folder, files


def read_bytes(path: Path, what: str, limits: Limits | None = None) -> bytes:
    """The file's bytes, refused before reading when it is larger than the scenario file cap."""
    cap = (limits or Limits.from_env()).max_file_bytes
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InterchangeError(path, "", "not a regular file", f"a {what}")
        if size > cap:
            raise InterchangeError(path, "", f"{size:,} bytes", f"a {what} of at most {cap:,} bytes (cap TRUCE_MAX_FILE_BYTES, see docs/reference/limits.md)")
        with path.open("rb") as stream:
            content = stream.read(cap + 1)
    except OSError as error:
        raise InterchangeError(path, "", f"a file truce cannot read ({error.strerror or error})", f"a readable {what}") from None
    if len(content) > cap:
        raise InterchangeError(path, "", f"more than {cap:,} bytes", f"a {what} of at most {cap:,} bytes")
    return content


def read_text(path: Path, what: str, limits: Limits | None = None) -> str:
    content = read_bytes(path, what, limits)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InterchangeError(path, "", f"bytes that are not UTF-8 ({error.reason} at byte {error.start})", f"a UTF-8 {what}") from None


_NOT_ID = re.compile(r"[^a-z0-9_-]+")


def make_id(text: str, fallback: str) -> str:
    """A truce identifier ([a-z0-9_-]+, at most 64 characters) made from a name of the field."""
    slug = _NOT_ID.sub("-", text.strip().lower()).strip("-")[:64].strip("-")
    return slug or fallback


def unique_ids(names: list[str], fallback: str) -> list[str]:
    """One identifier per name, made unique by a suffix -2, -3, ... in file order."""
    ids: list[str] = []
    for number, name in enumerate(names, 1):
        base = make_id(name, f"{fallback}-{number}")
        candidate, suffix = base, 2
        while candidate in ids:
            candidate = f"{base[:60]}-{suffix}"
            suffix += 1
        ids.append(candidate)
    return ids


def number_text(value: float) -> str:
    """A number as the other tool's file gets it: 12 significant digits, no exponent for ordinary sizes."""
    if value == 0:
        return "0"
    text = format(value, f".{NUMBER_DIGITS}g")
    return text if "e" not in text else repr(float(text))


def exact_text(value: float) -> str:
    """A number as the other tool's file gets it when it was read from a file: the shortest text that reads
    back as the same float (so a value imported and exported again is the same text)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def finite_number(source: str | Path, where: str, text: object, expected: str = "a finite number") -> float:
    """A number of the other tool's file: refuses text that is not a number, NaN and infinity."""
    if isinstance(text, bool) or text is None:
        raise InterchangeError(source, where, _shown(text), expected)
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise InterchangeError(source, where, _shown(text), expected) from None
    if not math.isfinite(value):
        raise InterchangeError(source, where, _shown(text), expected)
    return value


def _shown(value: object) -> str:
    if value is None:
        return "nothing"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class Report:
    """What a conversion could not carry over, or carried over only approximately, each line naming
    where in the source it is and what happened to it."""

    title: str
    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        if line not in self.lines:
            self.lines.append(line)

    def text(self) -> str:
        if not self.lines:
            return f"{self.title}: nothing lost; the conversion is exact.\n"
        body = "\n".join(f"- {line}" for line in self.lines)
        return f"{self.title}: {len(self.lines)} thing(s) not carried over exactly.\n{body}\n"


class _Dumper(yaml.SafeDumper):
    """Keys in the order written; short lists of names on one line."""


def _represent_list(dumper, data):
    flow = len(data) <= 12 and all(isinstance(item, (str, int, float)) and len(str(item)) < 40 for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow or None)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(tuple, _represent_list)


def scenario_yaml(data: dict, header: str) -> str:
    """A scenario's data as YAML that the scenario loader reads back to the same scenario."""
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    return comment + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
