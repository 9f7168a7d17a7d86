"""Back-test: score truce's analysis, forecast, simulation and durability against what happened."""
