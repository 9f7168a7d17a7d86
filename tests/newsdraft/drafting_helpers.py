"""Helpers of the news-drafter tests: fill a draft's placeholders with values a person might give."""

from __future__ import annotations

import copy
import re

from truce.scenario.placeholders import find_placeholders, is_placeholder


def _set(data, path: str, value) -> None:
    parts = re.findall(r"\[(\d+)\]|\.?([^.\[\]]+)", path)
    keys = [int(index) if index else name for index, name in parts]
    node = data
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value


def fill(data: dict) -> dict:
    """A copy of draft data with every placeholder replaced by a plausible value of the right type."""
    filled = copy.deepcopy(data)
    for issue in filled["issues"]:
        if is_placeholder(issue.get("options")):
            issue["options"] = ["unchanged", "changed"]
        if is_placeholder(issue.get("name")):
            issue["name"] = "An issue a person named"
    options = {issue["id"]: issue["options"] for issue in filled["issues"]}
    for path, _ in list(find_placeholders(filled)):
        field = path.rsplit(".", 1)[-1]
        if field == "reservation":
            value = 0.2
        elif field == "salience":
            value = 0.5
        elif field == "position":
            value = options[path.split(".")[-2]][0]
        elif field == "name":
            value = "A party a person named"
        else:
            raise AssertionError(f"no filler for {path}")
        _set(filled, path, value)
    return filled
