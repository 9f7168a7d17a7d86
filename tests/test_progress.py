"""Progress off a terminal (issue 17: piped, a long run showed no progress at all): one plain line
every few seconds, none for a short run."""

from __future__ import annotations

import io

from truce.cli.common import LineProgress, progress_bar


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_line_every_few_seconds_with_the_share_done_and_the_time_left():
    stream, clock = io.StringIO(), Clock()
    with LineProgress(stream, every=5.0, clock=clock) as bar:
        task = bar.add_task("Simulating", total=1000)
        clock.now = 1.0
        bar.advance(task, 100)  # before 5 s: nothing
        assert stream.getvalue() == ""
        clock.now = 6.0
        bar.advance(task, 200)  # 300 of 1,000 after 6 s: 6 x 0.7 / 0.3 = 14 s left
        clock.now = 8.0
        bar.advance(task, 100)  # 2 s after the last line: nothing
        clock.now = 12.0
        bar.update(task, advance=100, description="Simulating (phase 2)")
    assert stream.getvalue().splitlines() == [
        "Simulating: 300 of 1,000 (30%) after 6 s, about 14 s left",
        "Simulating (phase 2): 500 of 1,000 (50%) after 12 s, about 12 s left",
    ]


def test_without_a_total_it_counts():
    stream, clock = io.StringIO(), Clock()
    with LineProgress(stream, clock=clock) as bar:
        task = bar.add_task("Variants", total=None)
        clock.now = 7.0
        bar.update(task, advance=3)
    assert stream.getvalue() == "Variants: 3 done after 7 s\n"


def test_off_a_terminal_the_plain_lines_are_used():
    # under pytest standard error is captured, not a terminal
    assert isinstance(progress_bar(False), LineProgress)
    assert not isinstance(progress_bar(True), LineProgress)
