"""The `truce ...` commands the docs show, and the files the docs give them (read by tests/test_docs_commands.py).

A command is a line of a fenced ``sh``/``bash``/``console`` block that runs ``truce`` (``.venv/bin/truce``,
with or without ``$ ``, ``VAR=value`` settings before it, a ``# comment`` after it, ``\\`` continuations),
or a ``$ truce ...`` line of a ``text`` block. The lines after a ``$`` line, up to the next one, are its
documented output; an output whose first line is ``error: ...`` or ``FILE: ...`` (not ``valid: ...``)
documents a refusal (exit status 2), anything else success.

A file the docs give is a fenced block named in its first line (``# draft.yaml: ...``) or in the few
lines before its fence (``Save it as `valley-levers.yaml`:``).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
FENCE = re.compile(r"^\s*```(\w*)\s*$")
FILE_NAME = re.compile(r"`([\w.-]+\.(?:yaml|yml|csv|json))`")
COMMENT_NAME = re.compile(r"^#\s*([\w.-]+\.(?:yaml|yml|csv|json))\b")
SETTING = re.compile(r"^[A-Z_][A-Z0-9_]*=\S*$")
SHELL_BLOCKS = ("sh", "bash", "console", "shell")


@dataclass
class Shown:
    """One documented command: where, its arguments after ``truce``, environment settings, and what the docs say it does."""

    doc: str
    line: int
    text: str
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    status: int = 0
    output: list[str] = field(default_factory=list)
    block: int = 0
    """Commands of one block run in order in one folder."""

    @property
    def where(self) -> str:
        return f"docs/{self.doc}:{self.line}"


@dataclass
class Block:
    doc: str
    line: int
    lang: str
    lines: list[str]
    before: list[str]


def blocks(path: Path) -> list[Block]:
    found, current, lines = [], None, path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        match = FENCE.match(line)
        if current is None and match:
            current = Block(str(path.relative_to(DOCS)), number, match[1] or "plain", [], lines[max(0, number - 5) : number - 1])
        elif current is not None and line.strip() == "```":
            found.append(current)
            current = None
        elif current is not None:
            current.lines.append(line)
    return found


def documented_files() -> dict[str, dict[str, str]]:
    """File name -> {doc: the content that doc gives it}. A block defines a file when its first line names
    it (``# draft.yaml: ...``) or the lines before its fence do; a name before a shell block (``Save it as
    `valley-talks.yaml` and check it:``) goes to the block before."""
    files: dict[str, dict[str, str]] = {}
    for path in sorted(DOCS.rglob("*.md")):
        previous = None
        for block in blocks(path):
            transcript = any(line.startswith("$ ") for line in block.lines)
            named = COMMENT_NAME.match(block.lines[0].strip()) if block.lines else None
            names = [named[1]] if named else FILE_NAME.findall(" ".join(block.before[-2:]))[-1:]
            if block.lang in SHELL_BLOCKS or transcript or not block.lines:
                if previous is not None and names and block.lang in SHELL_BLOCKS and "save" in " ".join(block.before).lower():
                    files.setdefault(names[0], {}).setdefault(block.doc, "\n".join(previous.lines) + "\n")
                continue
            for name in names:
                files.setdefault(name, {}).setdefault(block.doc, "\n".join(block.lines) + "\n")
            previous = block
    return files


def _command(text: str) -> tuple[list[str], dict[str, str]] | None:
    """(arguments after ``truce``, environment settings), or None when the line does not run truce."""
    try:
        words = shlex.split(text, comments=True)
    except ValueError:
        return None
    env = {}
    while words and SETTING.match(words[0]):
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    if not words or words[0] not in ("truce", ".venv/bin/truce"):
        return None
    args = words[1:]
    if ">" in args:  # output redirected to a file: the command's own output is what counts
        args = args[: args.index(">")]
    return args, env


def _refusal(output: list[str], args: list[str]) -> bool:
    if not output or output[0][:1].isspace():  # an indented first line is a table's title, not a message
        return False
    first = output[0].strip()
    if first.startswith(("error:", "Usage:", "built-in scenario '")):
        return True
    return any(first.startswith(f"{arg}: ") for arg in args if not arg.startswith("-")) and not first.startswith("valid:")


def shown_commands() -> list[Shown]:
    shown: list[Shown] = []
    for path in sorted(DOCS.rglob("*.md")):
        found = blocks(path)
        for number, block in enumerate(found):
            shell = block.lang in SHELL_BLOCKS
            pending = ""
            current: Shown | None = None
            in_block: list[Shown] = []
            for offset, raw in enumerate(block.lines, 1):
                line = raw.strip()
                if pending:
                    line, pending = pending + " " + line, ""
                if shell and line.endswith("\\"):
                    pending = line[:-1]
                    continue
                prompt = line.startswith("$ ")
                if not shell and not prompt:
                    if current is not None:
                        current.output.append(raw)
                    continue
                parsed = _command(line[2:] if prompt else line)
                if parsed is None:
                    if current is not None and prompt:
                        current = None
                    elif current is not None and not shell:
                        current.output.append(raw)
                    continue
                args, env = parsed
                current = Shown(block.doc, block.line + offset, line, args, env, block=number)
                in_block.append(current)
            following = found[number + 1] if number + 1 < len(found) else None
            if shell and len(in_block) == 1 and following is not None and following.lang in ("text", "plain"):
                if not any(line.startswith("$ ") for line in following.lines):
                    in_block[0].output = list(following.lines)  # the block after a lone command is its output
            shown += in_block
    for command in shown:
        command.status = 2 if _refusal(command.output, command.args) else 0
    return shown
