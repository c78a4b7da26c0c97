"""Statistics of measurements: SPC of a characteristic, judgment summary, yield and Pareto."""
