"""Mediation: levers as scenario transformations, what-if with common random numbers, sensitivity."""

from truce.mediation.levers import REGISTRY as LEVER_KINDS
from truce.mediation.whatif import WhatIfResult, what_if

__all__ = ["LEVER_KINDS", "WhatIfResult", "what_if"]
