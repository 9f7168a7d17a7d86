"""Errors in the terms of the command: the file and the field path inside it, or the option.

An engine does not know which file its problem came from, so it raises an
:class:`~truce.errors.InputError` whose message starts with the field it is about
(``levers: found none; expected ...``) or, for a cap, a
:class:`~truce.limits.LimitError` with its ``path``. :func:`about` turns
those into a :class:`~truce.scenario.ScenarioError` that names the file,
so every command reports ``FILE: FIELD: found ...; expected ...``.
The options every simulating command shares are checked here before any
work, each error naming its option.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

from truce.cli.common import UserError
from truce.errors import InputError, ScenarioError
from truce.limits import LimitError

_FIELD = re.compile(r"^([A-Za-z_][\w-]*(?:\[\d+\]|\.[\w-]+)*): ")
"""A message that starts with a field path: ``issues: ...``, ``actors[0].reservation: ...``."""
PROTOCOLS = ("alternating", "single-text")


def source_of(scenario: str) -> str:
    """How the loader names a scenario argument in its errors (a built-in by name, else the path)."""
    from truce.scenario import builtin_scenarios

    if "/" not in scenario and "\\" not in scenario and not scenario.endswith((".yaml", ".yml", ".json")) and scenario in builtin_scenarios():
        return f"built-in scenario '{scenario}'"
    return scenario


@contextmanager
def about(scenario: str) -> Iterator[None]:
    """Run an engine on ``scenario``'s problem; an ``InputError`` (or a cap's ``LimitError``) it raises
    becomes an error naming the file and the field (or, when the message starts with ``--``, the option).
    Any other exception, a ``ValueError`` from numpy included, is a bug and goes on to the internal-error
    handler of :func:`truce.cli.main` (issue 17)."""
    try:
        yield
    except (ScenarioError, UserError):
        raise
    except (InputError, LimitError) as error:
        message = str(error)
        if message.startswith("--"):
            raise UserError(message) from None
        path = error.path if isinstance(error, LimitError) else ""
        if path.startswith("--"):
            raise UserError(message) from None
        match = _FIELD.match(message)
        if match:
            path, message = match[1], message[match.end() :]
        elif path:
            message = message.removeprefix(f"{path}: ")
        raise ScenarioError(source_of(scenario), ((path, message),)) from None


def check_protocol(protocol: str | None) -> None:
    if protocol not in (None, *PROTOCOLS):
        raise UserError(f"--protocol: found '{protocol}'; expected {' or '.join(PROTOCOLS)}")


def check_strategies(chosen: str | dict[str, str], party_ids: tuple[str, ...]) -> None:
    """Every strategy known, with known parameters, for the scenario's parties (``chosen`` from
    :func:`truce.cli.common.parse_strategies`)."""
    from truce.simulate.strategies import make

    if isinstance(chosen, dict):
        unknown = [party for party in chosen if party not in party_ids]
        if unknown:
            raise UserError(f"--strategy: found {', '.join(unknown)}; expected one PARTY=NAME for each of the parties {', '.join(party_ids)}")
        missing = [party for party in party_ids if party not in chosen]
        if missing:
            raise UserError(f"--strategy: no strategy for {', '.join(missing)}; expected one PARTY=NAME for each of the parties {', '.join(party_ids)}")
    for spec in [chosen] if isinstance(chosen, str) else chosen.values():
        try:
            strategy = make(spec)
        except ValueError as error:
            raise UserError(f"--strategy {spec}: {error}") from None
        if strategy.name == "spe" and len(party_ids) != 2:
            raise UserError(f"--strategy {spec}: found {len(party_ids)} parties; expected two (the subgame-perfect strategy is defined for two parties)")


def check_rounds_option(rounds: int | None, *, least: int = 1, option: str = "--rounds") -> None:
    """A rounds option within [least, the shared cap TRUCE_MAX_ROUNDS] (:mod:`truce.limits`), before any work."""
    from truce.limits import LimitError, Limits, check_rounds

    if rounds is None:
        return
    if rounds < least:
        raise UserError(f"{option}: found {rounds}; expected a whole number >= {least}")
    try:
        check_rounds(max(rounds, 1), Limits.from_env(), option)
    except LimitError as error:
        raise UserError(str(error)) from None


def check_first_proposer(first_proposer: str, party_ids: tuple[str, ...]) -> None:
    """``--first-proposer``: random (per run), alternate (across runs) or a party id, before any work."""
    if first_proposer not in ("random", "alternate", *party_ids):
        raise UserError(f"--first-proposer: found '{first_proposer}'; expected random, alternate or a party id ({', '.join(party_ids)})")


def check_simulation(problem, protocol: str | None, chosen, *, rounds: int | None = None, noise: float = 0.0) -> None:
    """The options of a simulating command, before any work."""
    check_protocol(protocol)
    check_strategies(chosen, problem.party_ids)
    check_rounds_option(rounds)
    if not noise >= 0:
        raise UserError(f"--noise: found {noise:g}; expected a number >= 0")
