"""Documented defaults of the durability model, each with its source.

A scenario's ``durability:`` block overrides any of them. Figures marked
"assumption" give a direction found in the literature a magnitude of our
choosing; the range of each distribution says how unsure we are.
"""

from __future__ import annotations

from truce.scenario.distributions import Distribution

MEDIAN_DAYS = {
    "cessation": Distribution(triangular=(6.75, 9.0, 18.0)),
    "preliminary": Distribution(triangular=(39.4, 52.5, 105.0)),
    "definitive": Distribution(triangular=(112.5, 150.0, 300.0)),
}
"""Median days from effect to recorded end by ceasefire class: 9 (cessation, n=823), 52.5
(preliminary, n=152) and 150 (definitive, n=26) in the ETH/PRIO Civil Conflict Ceasefire data
(Clayton et al. 2022; shared/data/ceasefire/ethprio_cf_summary.csv). Only ceasefires with a
recorded end enter those medians, which biases them down; the ranges run from 0.75x to 2x."""

HAZARD_RATIOS = {
    "cessation": 1.0,
    "preliminary": 1.0,
    "definitive": 1.0,
    "monitoring": Distribution(triangular=(0.25, 0.4, 0.5)),
    "third_party_guarantee": Distribution(triangular=(0.4, 0.6, 0.8)),
    "withdrawal_buffer": Distribution(triangular=(0.5, 0.7, 0.9)),
    "joint_commission": Distribution(triangular=(0.6, 0.75, 0.9)),
    "phasing": Distribution(triangular=(0.7, 0.85, 1.0)),
    "specific_text": Distribution(triangular=(0.6, 0.8, 1.0)),
    "leverage": Distribution(triangular=(1.0, 1.2, 1.5)),
}
"""Hazard multiplier of each provision in a signed deal.

- monitoring: peacekeepers cut the risk of renewed fighting by 50-75% (Fortna 2004, as cited by
  the PKSOI paper in shared/data/ceasefire/model_parameters.csv): hazard ratio 0.25-0.5;
- third_party_guarantee, withdrawal_buffer (demilitarised zones), joint_commission: lower the
  hazard in Fortna (2003) "Scraps of Paper?", IO 57(2); magnitudes are assumptions;
- phasing: reversible steps first lower the exposure of whoever complies first (Walter 1997);
  magnitude an assumption;
- specific_text: specificity reduces uncertainty about intentions (Fortna 2003), flexibility
  raises violations (Park 2023); magnitude an assumption;
- leverage: agreements bought with pressure or payments last less once leverage wanes
  (Beardsley 2008, AJPS 52(4), "time inconsistency"); magnitude an assumption;
- the class provisions set the baseline and multiply by 1."""

SPOILER_HAZARD = Distribution(triangular=(0.0, 0.001, 0.003))
"""Daily hazard from spoilers (splinter groups, incidents) whatever the deal says: assumption
(the CF data code splinter ceasefires, but no rate was derived)."""

DISSATISFACTION_REFERENCE_GAIN = 0.2
DISSATISFACTION_RATIO_AT_NO_GAIN = 2.0
"""A party whose deal is worth exactly no deal doubles the hazard; the effect fades linearly in the
exponent until its gain reaches 0.2: assumption, in the spirit of Walter (1997) and Fortna (2004)
(a deal close to a party's alternative is the easiest to abandon)."""

HORIZON_DAYS = 365
