"""The phases section: for a phased agreement, how often each phase comes into force, when, and how it ends."""

from __future__ import annotations

from typing import TYPE_CHECKING

from truce.report.markup import Section, table, text
from truce.report.readings import percent

if TYPE_CHECKING:
    from truce.simulate.phase_results import PhasedResult


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def phases_reading(result: "PhasedResult") -> str:
    """Plain-language reading of a phased simulation."""
    entries = result.phases_to_dict()
    first, last = entries[0], entries[-1]
    lines = [
        f"The scenario is a phased agreement of {len(entries)} phases. In each of the {result.runs:,} runs (seed "
        f"{result.seed}) phase 1 ({first['name']}: {', '.join(first['issues'])}) is negotiated with the later "
        f"phases' issues left open; each later phase is negotiated while the one before it holds, and comes into "
        f"force only if it is signed before that phase breaks down or its fixed term ends. A phase that reaches "
        f"the end of its term has expired, not broken down.",
        f"Phase 1 was signed in {percent(first['p_reached'])} of the runs"
        + (f", on day {first['day_signed']['median']:.0f} of the talks at the median." if first["day_signed"]["median"] is not None else "."),
    ]
    for entry in entries[1:]:
        signed = entry["p_signed_given_talks"]
        given = f"; once its talks opened, {percent(signed)} of them ended in time" if signed is not None else ""
        lines.append(f"The talks on {entry['name']} opened in {percent(entry['p_talks'])} of the runs{given}: it came into force in {percent(entry['p_reached'])} of all runs.")
    ends = last["ended_by"]
    if ends and last["p_reached"]:
        lines.append(
            f"The last phase reached ({last['name']}) then held {_days(last['median_days_in_force'])} days at the median "
            f"before it ended by breakdown in {percent(ends['breakdown'])} of the runs that reached it."
            if last["median_days_in_force"] is not None
            else f"Most runs that reached the last phase ({last['name']}) had not seen it end."
        )
    lines.append(
        "The other figures negotiate every issue in one agreement. On the command line, truce durability, truce whatif "
        "and truce sensitivity follow the phases (a deal is phase 1 signed; a lasting deal, some phase still in force)."
    )
    return "\n\n".join(lines)


def phases_section(result: "PhasedResult") -> Section:
    rows = []
    for entry in result.phases_to_dict():
        low, high = entry["p_reached_interval"]
        ends = entry["ended_by"] or {}
        rows.append(
            (
                text(entry["name"]),
                text(", ".join(entry["issues"])),
                "open-ended" if entry["term_days"] is None else f"{entry['term_days']:g} days",
                f'<span class="num">{percent(entry["p_talks"])}</span>',
                f'<span class="num">{"-" if entry["p_signed_given_talks"] is None else percent(entry["p_signed_given_talks"])}</span>',
                f'<span class="num">{percent(entry["p_reached"])} ({percent(low)} to {percent(high)})</span>',
                f'<span class="num">{_days(entry["day_signed"]["median"])}</span>',
                f'<span class="num">{_days(entry["median_days_in_force"]) if entry["p_reached"] else "-"}</span>',
                text(", ".join(f"{name} {percent(share)}" for name, share in ends.items() if share > 0) or "-"),
            )
        )
    header = ("phase", "issues", "term", "talks opened", "signed in time, once opened", "in force (95% interval)", "signed on day (median)", "days in force (median)", "ended by")
    return Section("phases", "Phases", phases_reading(result), (table(header, rows, css="compact"),))
