"""Published EWMA, CUSUM and attribute-chart examples with the figures they print.

NIST/SEMATECH e-Handbook of Statistical Methods, 6.3.2.4 (EWMA): 20 values, target (EWMA_0) 50,
s 2.0539, lambda 0.3, k 3; EWMA_1..EWMA_20 printed to 2 decimals, limits 52.5884 and 47.4115
(the page uses the factor 0.4201 for sqrt(0.3/1.7) = 0.420084); no point out of control.

NIST/SEMATECH e-Handbook, 6.3.2.3 (tabular CUSUM): 20 values, target 325, sigma 0.635 (so
k = 0.5 sigma = 0.3175), decision interval h = 4.1959; the "increase in mean" sums printed to
2 decimals; they exceed h from observation 14 on (0-based 13..19) and the decrease sums never do.
The values are taken at the 2 decimals the table prints them with; the sums below are those of
these values, so they are held to half a unit of the 2nd decimal, and the signals (which do not
depend on that rounding) exactly.

Montgomery, Introduction to Statistical Quality Control, Example 7.1 (frozen orange juice cans,
30 samples of 50, nonconforming counts): p-bar 0.2313, UCL 0.4102, LCL 0.0524, samples 15 and 23
beyond the UCL. Example 7.3 (printed circuit boards, 26 samples of 100 boards, nonconformities):
c-bar 19.85, UCL 33.22, LCL 6.48, samples 6 and 20 beyond a limit. Both data sets are the ones the
R package qcc ships from the book (luca-scr/qcc, data/orangejuice.txt samples 1-30 and
data/circuit.txt samples 1-26); they were checked against those files value by value.

Montgomery, Introduction to Statistical Quality Control, chapter 9: the 30 values of Table 9.1
(the first 20 from N(10, 1), the last 10 from N(11, 1)). Tabular CUSUM (Table 9.2) with target 10,
sigma 1, k = 0.5, h = 5: C+ first exceeds H at sample 29 (5.28, then 5.30 at sample 30), N+ = 7 there.
EWMA (Example 9.2, Table 9.11) with lambda 0.1, L = 2.7: z_1 = 9.945, z_2 = 9.7495, limits of period 1
10.27 / 9.73 and of period 2 10.36 / 9.64, steady state 10.62 / 9.38; z_29 = 10.6468 above its UCL
(also reproduced with the same data by IMSL's EWMA example, help.imsl.com/net/current/manual/docs/ewma.htm).

The NIST pages could not be read again while writing these tests, so every printed figure is also
recomputed here with the textbook recurrences (`tabular_cusum`, `ewma_series`), written apart from the
application's code, and the API must equal that recomputation at every point.
"""

import math

NIST_EWMA_VALUES = [52.0, 47.0, 53.0, 49.3, 50.1, 47.0, 51.0, 50.1, 51.2, 50.5,
                    49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1]
NIST_EWMA = {"target": 50.0, "sigma": 2.0539, "lambda": 0.3, "L": 3.0}
NIST_EWMA_PRINTED = [50.60, 49.52, 50.56, 50.18, 50.16, 49.21, 49.75, 49.85, 50.26, 50.33,
                     50.11, 49.36, 49.52, 50.05, 49.38, 49.92, 50.73, 51.23, 51.94, 51.99]
NIST_EWMA_LIMITS = {"ucl": 52.5884, "lcl": 47.4115}

NIST_CUSUM_VALUES = [324.93, 324.68, 324.73, 324.35, 325.35, 325.23, 324.13, 324.53, 325.23, 324.60,
                     324.63, 325.15, 328.33, 327.25, 327.83, 328.50, 326.68, 327.78, 326.88, 328.35]
NIST_CUSUM = {"target": 325.0, "sigma": 0.635, "k": 0.5, "H": 4.1959}
# Observation number (1-based) -> the printed upper sum, from the rise on.
NIST_CUSUM_UPPER = {13: 3.01, 14: 4.95, 15: 7.46, 16: 10.64, 17: 12.00, 20: 19.06}
NIST_CUSUM_SIGNALS = list(range(13, 20))

ORANGE_JUICE_NONCONFORMING = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22,
                              8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]
ORANGE_JUICE_SAMPLE = 50
ORANGE_JUICE = {"center": 0.2313, "ucl": 0.4102, "lcl": 0.0524}
ORANGE_JUICE_SIGNALS = [14, 22]

CIRCUIT_BOARD_NONCONFORMITIES = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16,
                                 19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19, 17, 15]
CIRCUIT_BOARD = {"center": 19.85, "ucl": 33.22, "lcl": 6.48}
CIRCUIT_BOARD_SIGNALS = [5, 19]

MONTGOMERY_9_1 = [9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34, 9.03, 11.47, 10.51, 9.40, 10.08,
                  9.37, 10.62, 10.31, 8.52, 10.84, 10.90, 9.33, 12.29, 11.50, 10.60, 11.08, 10.38, 11.62, 11.31, 10.52]
MONTGOMERY_CUSUM = {"target": 10.0, "sigma": 1.0, "k": 0.5, "h": 5.0}
# Sample number (1-based) -> C+ as printed in Table 9.2.
MONTGOMERY_CUSUM_UPPER = {4: 1.16, 5: 2.82, 6: 2.50, 23: 1.79, 24: 2.79, 28: 4.47, 29: 5.28, 30: 5.30}
MONTGOMERY_CUSUM_SIGNALS = [28, 29]
MONTGOMERY_EWMA = {"target": 10.0, "sigma": 1.0, "lambda": 0.1, "L": 2.7}
MONTGOMERY_EWMA_Z = {1: 9.945, 2: 9.7495, 29: 10.6468}
MONTGOMERY_EWMA_LIMITS = {1: (10.27, 9.73), 2: (10.36, 9.64)}
MONTGOMERY_EWMA_STEADY = (10.62, 9.38)
MONTGOMERY_EWMA_SIGNALS = [28, 29]


def tabular_cusum(values, target, sigma, k, h):
    """C+ and C- by Page's recurrence, and the 0-based samples where either exceeds H = h sigma."""
    upper, lower, signals, cp, cm = [], [], [], 0.0, 0.0
    for i, x in enumerate(values):
        cp = max(0.0, x - (target + k * sigma) + cp)
        cm = max(0.0, (target - k * sigma) - x + cm)
        upper.append(cp)
        lower.append(cm)
        if cp > h * sigma or cm > h * sigma:
            signals.append(i)
    return upper, lower, signals


def ewma_series(values, target, sigma, lmbda, width):
    """z_i = lambda x_i + (1 - lambda) z_(i-1) from z_0 = target, with the exact limits of each period."""
    z, points = target, []
    for i, x in enumerate(values, start=1):
        z = lmbda * x + (1 - lmbda) * z
        half = width * sigma * math.sqrt(lmbda / (2 - lmbda) * (1 - (1 - lmbda) ** (2 * i)))
        points.append((z, target + half, target - half))
    return points
