"""Documented defaults of the durability model, each with its source.

A scenario's ``durability:`` block overrides any of them. Figures marked
"assumption" give a direction found in the literature a magnitude of our
choosing; the range of each distribution says how unsure we are.

The baseline of each ceasefire class is the *empirical* survival of that
class in the ETH/PRIO Civil Conflict Ceasefire data (Clayton et al. 2022):
whatever made those ceasefires break (spoilers, a party that got little,
incidents) is already in it. Provisions therefore enter as hazard ratios
*relative to that baseline*, and only those the class does not already
contain (:data:`IN_BASELINE`); spoilers and dissatisfaction add nothing by
default. With no further mechanism, the model's median is the data's median.
"""

from __future__ import annotations

import math

from truce.scenario.distributions import Distribution

CLASS_DURATIONS = {
    # class: (ceasefires, with a recorded end, median, 25th and 75th percentile days)
    "cessation": (1671, 823, 9.0, 1.0, 32.0),
    "preliminary": (374, 152, 52.5, 9.0, 179.0),
    "definitive": (158, 26, 150.0, 33.25, 316.75),
}
"""Days from effect to recorded end by ceasefire class, ETH/PRIO CF data 1989-2020 (Clayton et al.
2022, "Costs and Cover", JCR; derived table ``truce/data/ethprio_cf_class_durations.csv``).
Censoring: only the ceasefires with a recorded end (823/1671, 152/374, 26/158) enter these
figures; the others have no end recorded (most) or are coded as not ended (33% of definitive
ones), so the true medians are longer. truce keeps the recorded-end figures (the Israel-Hamas
record it is tested against is also one of recorded ends) and says so wherever it quotes them."""


def weibull_shape(p25: float, p75: float) -> float:
    """The Weibull shape whose quartiles are ``p25`` and ``p75``: S(t) = exp(-(t / scale) ** k) gives
    k = (ln ln 4 - ln ln 4/3) / (ln p75 - ln p25)."""
    return (math.log(math.log(4.0)) - math.log(math.log(4.0 / 3.0))) / (math.log(p75) - math.log(p25))


def median_standard_error(median: float, shape: float, ended: int) -> float:
    """Asymptotic standard error of a sample median, 1 / (2 f(m) sqrt(n)), with the Weibull density
    at its median f(m) = shape ln 2 / (2 m): m / (shape ln 2 sqrt(n))."""
    return median / (shape * math.log(2.0) * math.sqrt(ended))


SHAPE = {name: round(weibull_shape(p25, p75), 4) for name, (_, _, _, p25, p75) in CLASS_DURATIONS.items()}
"""Weibull shape of each class's baseline, fitted to its quartiles: 0.45 (cessation), 0.53
(preliminary), 0.70 (definitive). Below 1, the risk of breakdown is highest in the first days
and falls with time, as the data's long right tails show."""

MEDIAN_DAYS = {
    name: Distribution(normal=(median, round(median_standard_error(median, SHAPE[name], ended), 2)))
    for name, (_, ended, median, _, _) in CLASS_DURATIONS.items()
}
"""Median days of each class's baseline: normal around the recorded median (9, 52.5, 150) with the
sampling standard error of a median (1.0, 11.7, 60.8 days; :func:`median_standard_error`)."""

HAZARD_RATIOS = {
    "cessation": 1.0,
    "preliminary": 1.0,
    "definitive": 1.0,
    "monitoring": Distribution(triangular=(0.4, 0.75, 1.0)),
    "peacekeepers": Distribution(triangular=(0.25, 0.4, 0.5)),
    "observers": Distribution(triangular=(0.4, 0.6, 0.9)),
    "remote_verification": Distribution(triangular=(0.7, 0.9, 1.0)),
    "third_party_guarantee": Distribution(triangular=(0.4, 0.6, 0.8)),
    "withdrawal_buffer": Distribution(triangular=(0.5, 0.7, 0.9)),
    "joint_commission": Distribution(triangular=(0.6, 0.75, 0.9)),
    "phasing": Distribution(triangular=(0.7, 0.85, 1.0)),
    "specific_text": Distribution(triangular=(0.6, 0.8, 1.0)),
    "leverage": Distribution(triangular=(1.0, 1.2, 1.5)),
}
"""Hazard multiplier of each provision relative to its class's baseline.

- peacekeepers: an armed force between the sides cuts the risk of renewed fighting by 50-75%
  (Fortna 2004, as cited by the PKSOI paper in shared/data/ceasefire/model_parameters.csv):
  hazard ratio 0.25-0.5;
- observers: unarmed monitors reduce uncertainty about intentions (Fortna 2003, IO 57(2)) but
  cannot interpose: assumption, 0.4-0.9, weaker than peacekeepers;
- remote_verification (an operations room, hotlines, no one on the ground): the same channel of
  information with no presence: assumption, 0.7-1.0;
- monitoring of a kind not stated: assumption spanning observers to remote verification, 0.4-1.0;
- third_party_guarantee, withdrawal_buffer (demilitarised zones), joint_commission: lower the
  hazard in Fortna (2003) "Scraps of Paper?", IO 57(2); magnitudes are assumptions;
- phasing: reversible steps first lower the exposure of whoever complies first (Walter 1997);
  magnitude an assumption;
- specific_text: specificity reduces uncertainty about intentions (Fortna 2003), flexibility
  raises violations (Park 2023); magnitude an assumption;
- leverage: agreements bought with pressure or payments last less once leverage wanes
  (Beardsley 2008, AJPS 52(4), "time inconsistency"); magnitude an assumption;
- the class provisions select the baseline and multiply by 1."""

COMPLIANCE_MECHANISMS = ("monitoring", "observers", "remote_verification", "joint_commission")
IN_BASELINE = {
    "cessation": (),
    "preliminary": COMPLIANCE_MECHANISMS,
    "definitive": (*COMPLIANCE_MECHANISMS, "withdrawal_buffer"),
}
"""Provisions a class's baseline already contains, so they add no hazard ratio of their own there:
a preliminary ceasefire is a cessation *with* a compliance mechanism (monitoring, verification, a
joint committee), a definitive one adds demobilisation and separation of forces (Clayton &
Sticher 2021's definitions of the ETH/PRIO classes; shared/models/CEASEFIRE.md section 1.1)."""

SPOILER_HAZARD = 0.0
"""Daily hazard from spoilers added on top of the baseline: 0, because the empirical baseline
already contains breakdowns by spoilers and incidents. A scenario sets one to say its spoilers are
more active than the ceasefires in the data (assumption)."""

DISSATISFACTION_REFERENCE_GAIN = 0.2
DISSATISFACTION_RATIO_AT_NO_GAIN = 1.0
"""The hazard multiplier from a party whose deal is worth exactly no deal: 1 (no effect) by
default, because the baseline's ceasefires were also struck by parties with thin margins. A
scenario may set a ratio above 1 to say its deal is thinner than usual for a party; the effect
fades linearly in the exponent until the party's gain reaches the reference gain 0.2
(assumption, in the spirit of Walter 1997 and Fortna 2004)."""

HORIZON_DAYS = 365
