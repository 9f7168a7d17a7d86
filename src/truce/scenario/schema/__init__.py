"""The scenario file format: pydantic models, the single truth for it.

These models validate YAML/JSON scenario files, produce the shipped JSON
Schema (``truce schema``) and document every field. Structural checks
(types, ranges of single fields) are pydantic's; the checks that relate
fields to each other (a stance names a known issue, a position is one of
the issue's options, ids are unique) live in :func:`truce.scenario.schema.checks.find_problems`
and report the path of each problem inside the file.
"""


from truce.scenario.schema.actors import Actor, Role, Stance
from truce.scenario.schema.common import MAX_OPTIONS_PER_ISSUE, Findings, Identifier, Number, Source, Text
from truce.scenario.schema.issues import (
    ISSUE_KINDS,
    PROVISIONS,
    CategoricalIssue,
    Issue,
    NumericIssue,
    OrderedIssue,
    Provision,
)
from truce.scenario.schema.levers import LEVER_EFFECTS, LEVER_PROVISIONS, Dissatisfaction, Durability, Lever
from truce.scenario.schema.red_lines import RedLine, ruled_out_options
from truce.scenario.schema.scenario import Phase, Scenario, Talks

__all__ = [
    "Actor", "CategoricalIssue", "Dissatisfaction", "Durability", "Findings", "ISSUE_KINDS", "Identifier", "Issue",
    "LEVER_EFFECTS", "LEVER_PROVISIONS", "Lever", "MAX_OPTIONS_PER_ISSUE", "Number", "NumericIssue", "OrderedIssue",
    "PROVISIONS", "Phase", "Provision", "RedLine", "Role", "Scenario", "Source", "Stance", "Talks", "Text", "ruled_out_options",
]
