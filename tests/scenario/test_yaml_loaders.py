"""The scenario loader reads YAML with libyaml's safe loader when PyYAML has it, else the pure-Python one;
each hostile or broken text gives the same problem, at the same line and column, through both (and the
alias and nesting guards hold for both)."""

from __future__ import annotations

import pytest
import yaml

from truce.scenario import ScenarioError, load, parse
from truce.scenario.loading import SAFE_LOADER

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])
LAUGHS = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x]"] + [
    f"{chr(97 + k)}: &{chr(97 + k)} [" + ", ".join([f"*{chr(96 + k)}"] * 9) + "]" for k in range(1, 9)
]) + "\nname: x\nactors: *i\nissues: *i\n"
BROKEN = {
    "tab": ("name: x\nactors:\n\t- id: a\n", "line 3, column 1", "expected spaces, not tabs"),
    "unclosed list": ("name: [a, b\nactors: []\n", "line 2, column 7", "flow sequence that starts on line 1"),
    "unclosed at the end": ("name: [unclosed", "line 1, column 16", "expected well-formed YAML"),
    "missing colon": ("name: x\nactors\nissues: []\n", "line 3, column 1", "could not find expected ':'"),
    "bad indentation": ("actors:\n  - id: a\n   name: b\n", "line 3, column 4", "expected well-formed YAML"),
    "python tag": ("name: !!python/object/apply:os.system ['true']\n", "line 1, column 7", "tag !!python/object/apply:os.system is not allowed"),
    "custom tag": ("name: !secret x\n", "line 1, column 7", "tag !secret is not allowed"),
    "undefined alias": ("name: *nope\n", "line 1, column 7", "undefined alias"),
    "two documents": ("name: x\n---\nname: y\n", "line 2, column 1", "another document"),
    "alias bomb": (LAUGHS, "", "holds more than 1,000,000 values once YAML aliases are expanded"),
    "alias loop": ("name: &n [*n]\nactors: []\nissues: []\n", "", "a YAML alias refers to a mapping or list that contains it"),
    "deep flow": ("name: " + "[" * 400 + "]" * 400 + "\n", "", "nested more than 32 levels deep"),
    "deeper than libyaml": ("name: " + "[" * 3000 + "]" * 3000 + "\n", None, "nested"),
    "deep block": ("".join(" " * i + "k:\n" for i in range(600)) + " " * 600 + "v\n", None, "nested"),
    "huge integer": ("rounds: " + "9" * 5000 + "\n", "", "an integer has more than 4,300 digits"),
    "control character": ("name: \x00\n", "", "found the control character #x0000"),
}


def problems(text: str, loader) -> tuple:
    with pytest.raises(ScenarioError) as caught:
        parse(text, source="case.yaml", loader=loader)
    assert "Traceback" not in str(caught.value)
    return caught.value.problems


@pytest.mark.parametrize("name", list(BROKEN))
def test_each_broken_text_is_the_same_problem_through_both_loaders(name):
    text, where, words = BROKEN[name]
    found = [problems(text, loader) for loader in LOADERS]
    for loader, problem in zip(LOADERS, found):
        assert len(problem) == 1, (loader.__name__, problem)
        path, message = problem[0]
        assert words in message and "expected" in message, (loader.__name__, message)
        if where is not None:
            assert path == where, (loader.__name__, path, message)
    if where is not None:
        assert len({problem[0][0] for problem in found}) == 1  # the same line and column


def test_the_c_loader_is_used_when_pyyaml_has_it(monkeypatch):
    assert SAFE_LOADER is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)
    used = []
    original = yaml.load

    def spy(text, Loader):  # noqa: N803 - PyYAML's name
        used.append(Loader)
        return original(text, Loader=Loader)

    monkeypatch.setattr(yaml, "load", spy)
    load("two-issue-trade")
    assert used == [SAFE_LOADER]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
def test_every_builtin_scenario_reads_the_same_through_both_loaders(loader):
    from truce.scenario import builtin_scenarios
    from importlib import resources

    for name in builtin_scenarios():
        text = (resources.files("truce.scenario.builtin") / f"{name}.yaml").read_text(encoding="utf-8")
        assert parse(text, loader=loader) == parse(text, loader=yaml.SafeLoader)
