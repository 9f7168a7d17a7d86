"""KTAB's Spatial Model of Politics (SMP).

The SMP is the spatial bargaining model of the KAPSARC Toolkit for
Behavioral Analysis (KTAB): actors hold positions in a multi-dimensional
issue space, challenge one another in "probabilistic Condorcet elections"
(PCE) in which third parties join the side they expect to gain from, and
move to interpolated bargains that the other actors' votes elect.

Sources:
  - KAPSARC discussion papers "An Introduction to the KAPSARC Toolkit for
    Behavioral Analysis (KTAB)" and "Multidimensional Bargaining using
    KTAB", which describe the SMP as instantiated in KTAB;
  - [WiseBankes2015] B. Wise, S. Bankes, "Non-spatial Probabilistic
    Condorcet Election Methodology" (2015), the PCE of A.3f;
  - [Abdollahian2006] M. Abdollahian, M. Baranick, B. Efird, J. Kugler,
    *Senturion: A Predictive Political Simulation Model* (Center for
    Technology and National Security Policy, NDU, 2006), the challenge and
    third-party logic the SMP inherits;
  - KTAB's public source, examples/smp (smp.cpp, smpbcn.cpp) and
    kmodel/kmodel.cpp, and its reference log
    examples/smp/doc/20170530_ref-dummyData_3Dim.txt (KAPSARC, mirror
    lsyaseen/KTAB);
  - truce's implementation spec, ``shared/models/FORECAST.md`` section A,
    whose paragraph numbers (A.3 .. A.8) the docstrings below cite.

Everything works on KTAB's internal scale: positions and saliences on
[0, 1] (KTAB's 0-100 input divided by 100), capabilities as given. Ideal
points equal positions (KTAB's default identity accommodation matrix).

Public entry point: :func:`smp`. The building blocks (:func:`vote`,
:func:`probabilistic_condorcet_election`, :func:`assess_state`,
:func:`challenge_outcomes`, :func:`interpolate_bargains`) are pure
functions of arrays and are exported for tests and for other engines.

The model is split by FORECAST.md's sections: :mod:`.options` (A.1),
:mod:`.elections` (A.3), :mod:`.state` (A.4, A.8), :mod:`.challenges`
(A.5, A.6.2), :mod:`.bargains` (A.6.3-6.5) and :mod:`.run` (A.6, A.7).
"""

from __future__ import annotations

from truce.forecast.smp import options
from truce.forecast.smp.options import *  # noqa: F403 - the option types, listed once in options.__all__
from truce.forecast.smp.elections import (
    coalition_strengths,
    probabilistic_condorcet_election,
    spatial_utility,
    victory_probabilities,
    vote,
    weighted_distances,
)
from truce.forecast.smp.state import StateAssessment, assess_state
from truce.forecast.smp.challenges import challenge_outcomes, choose_targets
from truce.forecast.smp.bargains import interpolate_bargains
from truce.forecast.smp.run import smp, smp_round

__all__ = [
    *options.__all__,
    "StateAssessment",
    "assess_state",
    "challenge_outcomes",
    "choose_targets",
    "coalition_strengths",
    "interpolate_bargains",
    "probabilistic_condorcet_election",
    "smp",
    "smp_round",
    "spatial_utility",
    "victory_probabilities",
    "vote",
    "weighted_distances",
]
