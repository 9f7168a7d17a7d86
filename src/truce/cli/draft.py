"""``truce draft``: a draft scenario from a news text, to correct rather than start from a blank file."""

from __future__ import annotations

import stat
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from truce.cli.common import FollowSymlinksOption, ForceOption, JsonOption, UserError, app, check_output, errors, print_json, write_atomically

MAX_ARTICLE_BYTES = 1_000_000
"""A news text file larger than this is refused before it is read."""


def read_article(path: Path) -> str:
    """The text of the news file, or a UserError naming the file and what was expected."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file; expected a news text file (plain UTF-8 text)") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read ({error.strerror}); expected a readable news text file") from None
    if stat.S_ISDIR(status.st_mode):
        raise UserError(f"{path}: is a folder; expected a news text file")
    if not stat.S_ISREG(status.st_mode):
        raise UserError(f"{path}: is not a regular file; expected a news text file")
    if status.st_size > MAX_ARTICLE_BYTES:
        raise UserError(f"{path}: {status.st_size:,} bytes; expected a news text of at most {MAX_ARTICLE_BYTES:,} bytes")
    try:
        content = path.read_bytes()
    except OSError as error:
        raise UserError(f"{path}: cannot read ({error.strerror}); expected a readable news text file") from None
    if b"\x00" in content:
        raise UserError(f"{path}: contains NUL bytes, so it is a binary file; expected plain UTF-8 text")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); expected plain UTF-8 text") from None


@app.command()
def draft(
    article: Annotated[Path, typer.Argument(help="A news text file (plain UTF-8 text).", show_default=False)],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the draft scenario (YAML) to this file instead of printing it.")] = None,
    force: ForceOption = False,
    follow_symlinks: FollowSymlinksOption = False,
    as_json: JsonOption = False,
    pipeline: Annotated[
        str, typer.Option("--pipeline", help="'blank' (rules only, the default) or the name of an installed trained spaCy pipeline.")
    ] = "blank",
) -> None:
    """Draft a scenario from a news text: actors, roles, issues, demands; placeholders for the numbers."""
    from truce.newsdraft import check_text, read_text
    from truce.newsdraft.build import to_yaml
    from truce.scenario.placeholders import find_placeholders

    text = check_text(read_article(article), str(article))
    if output is not None:
        check_output(output, force=force, follow_symlinks=follow_symlinks, option="--output")
    reading = read_text(text, pipeline=pipeline, source=str(article))
    data = reading.scenario(article.name)
    if as_json:
        print_json({"reading": reading.to_dict(), "scenario": data})
        return
    yaml_text = to_yaml(data)
    if output is None:
        sys.stdout.write(yaml_text)
        return
    write_atomically(output, yaml_text, force=force, follow_symlinks=follow_symlinks, option="--output")
    parties = sum(1 for actor in data["actors"] if actor["role"] == "party")
    remaining = len(list(find_placeholders(data)))
    errors.print(
        f"wrote {output}: {len(data['actors'])} actors ({parties} parties), {len(data['issues'])} issues, "
        f"{len(reading.attributions)} demands and refusals from the text; {remaining} placeholders to fill "
        f"(`truce validate {output}` lists them)",
        markup=False,
        highlight=False,
    )
