"""Demo plant and synthetic production history, for `tmf demo`, `tmf demo-data` and the benchmarks."""
