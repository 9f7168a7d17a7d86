"""The mediator levers: small registered units with their metadata.

Each kind says what it changes (its effect fields in the scenario file),
which ceasefire provision it adds to a signed deal while in force, and the
research it rests on. ``truce levers`` lists them; the engines read their
effects from the compiled problem (:func:`truce.problem.apply_levers`), so a
lever is a scenario transformation, never a special case in a protocol.
"""

from __future__ import annotations

from dataclasses import dataclass

from truce.scenario.schema import LEVER_EFFECTS, LEVER_PROVISIONS


@dataclass(frozen=True)
class LeverKind:
    name: str
    effects: tuple[str, ...]
    provision: str | None
    changes: str
    source: str


REGISTRY: dict[str, LeverKind] = {
    kind.name: kind
    for kind in (
        LeverKind(
            "guarantee",
            LEVER_EFFECTS["guarantee"],
            LEVER_PROVISIONS.get("guarantee"),
            "raises the parties' trust that the other side complies (closes trust_gain of the gap to 1); "
            "adds a third-party guarantee to the deal",
            "Walter (1997) The Critical Barrier to Civil War Settlement, IO 51(3); Fortna (2003) Scraps of Paper?, IO 57(2)",
        ),
        LeverKind(
            "monitoring",
            LEVER_EFFECTS["monitoring"],
            LEVER_PROVISIONS.get("monitoring"),
            "raises trust like a guarantee; adds monitoring to the deal, which lowers the violation hazard",
            "Fortna (2004) Peace Time: peacekeepers cut the risk of renewed fighting by 50-75%",
        ),
        LeverKind(
            "pressure",
            LEVER_EFFECTS["pressure"],
            LEVER_PROVISIONS.get("pressure"),
            "raises the parties' cost of delay and/or lowers their no-deal value (a hurting stalemate); "
            "deals bought with leverage last less once it wanes",
            "Zartman (ripeness, mutually hurting stalemate); Beardsley (2008) Agreement without Peace?, AJPS 52(4)",
        ),
        LeverKind(
            "side_payment",
            LEVER_EFFECTS["side_payment"],
            LEVER_PROVISIONS.get("side_payment"),
            "adds utility to a party if a deal is signed (aid, reconstruction finance); counts as leverage after signature",
            "Beardsley, Quinn, Biswas & Wilkenfeld (2006) Mediation Style and Crisis Outcomes, JCR 50(1): manipulation",
        ),
        LeverKind(
            "phasing",
            LEVER_EFFECTS["phasing"],
            LEVER_PROVISIONS.get("phasing"),
            "implements the deal in phases: multiplies each party's exposure to defection by exposure_factor",
            "Walter (1997): reversible steps first lower the exposure of whoever complies first",
        ),
        LeverKind(
            "single_text",
            LEVER_EFFECTS["single_text"],
            LEVER_PROVISIONS.get("single_text"),
            "the actor hosts the talks and runs the single negotiating text protocol",
            "Fisher's one-text procedure (Raiffa 1982, ch. 14; Camp David 1978: 13 days, 23 drafts)",
        ),
    )
}
