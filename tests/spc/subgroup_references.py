"""Published figures for subgroups of unequal size and for control chart constants up to n = 25.

Montgomery, Introduction to Statistical Quality Control, Table 6.4: the piston-ring samples 1-25
with some observations dropped, so that the sizes vary from 3 to 5 (samples 2, 13, 15 and 20 keep
their first 3 values, samples 6, 7, 9 and 17 their first 4). Its sample 21 reads 73.982, 74.001,
74.015, 74.005, 73.996 (qcc's `pistonrings` has 73.988 ... 74.009 there); samples 23-25 are
taken as in Table 6.3. The table prints each sample's mean and standard deviation (3 and 4
decimals); the example's grand mean, weighted by the sample sizes, is 74.001 and its s-bar,
pooled over the n_i - 1 degrees of freedom, 0.0103. Table 6.5 gives the limits of each sample
size, computed from those two rounded figures (so they agree to a unit of their last decimal).

ASTM E2587 table of constants for subgroup sizes 11-25 (d2, c4, A2, D3, D4 as printed; d3, A3,
B3, B4 for 15, 20, 25 from the same table).
"""

TABLE_6_4_SIZES = {2: 3, 6: 4, 7: 4, 9: 4, 13: 3, 15: 3, 17: 4, 20: 3}
TABLE_6_4_SAMPLE_21 = (73.982, 74.001, 74.015, 74.005, 73.996)
# Sample number -> (mean, s) as printed in Table 6.4.
TABLE_6_4_PRINTED = {
    1: (74.010, 0.0148), 2: (73.996, 0.0046), 3: (74.008, 0.0147), 4: (74.003, 0.0091), 5: (74.003, 0.0122),
    6: (73.996, 0.0099), 7: (73.999, 0.0055), 8: (73.997, 0.0123), 9: (74.004, 0.0064), 10: (73.998, 0.0063),
    11: (73.994, 0.0029), 12: (74.001, 0.0042), 13: (73.994, 0.0100), 14: (73.990, 0.0153), 15: (74.008, 0.0087),
    16: (73.997, 0.0078), 17: (73.999, 0.0115), 18: (74.007, 0.0070), 19: (73.998, 0.0085), 20: (74.008, 0.0068),
    21: (74.000, 0.0122), 22: (74.002, 0.0074),
}
TABLE_6_4_GRAND_MEAN = 74.001
TABLE_6_4_S_BAR = 0.0103
# Sample size -> (X-bar UCL, X-bar LCL, S UCL) of Table 6.5 (the S chart's LCL is 0 for these sizes).
TABLE_6_5_LIMITS = {3: (74.021, 73.981, 0.0264), 4: (74.018, 73.984, 0.0233), 5: (74.016, 73.986, 0.0215)}

# n: (d2, c4, A2, D3, D4)
ASTM_11_25 = {
    11: (3.173, 0.9754, 0.285, 0.256, 1.744), 12: (3.258, 0.9776, 0.266, 0.283, 1.717),
    13: (3.336, 0.9794, 0.249, 0.307, 1.693), 14: (3.407, 0.9810, 0.235, 0.328, 1.672),
    15: (3.472, 0.9823, 0.223, 0.347, 1.653), 16: (3.532, 0.9835, 0.212, 0.363, 1.637),
    17: (3.588, 0.9845, 0.203, 0.378, 1.622), 18: (3.640, 0.9854, 0.194, 0.391, 1.608),
    19: (3.689, 0.9862, 0.187, 0.403, 1.597), 20: (3.735, 0.9869, 0.180, 0.415, 1.585),
    21: (3.778, 0.9876, 0.173, 0.425, 1.575), 22: (3.819, 0.9882, 0.167, 0.434, 1.566),
    23: (3.858, 0.9887, 0.162, 0.443, 1.557), 24: (3.895, 0.9892, 0.157, 0.451, 1.548),
    25: (3.931, 0.9896, 0.153, 0.459, 1.541),
}
# n: (d3, A3, B3, B4)
ASTM_MORE = {15: (0.756, 0.789, 0.428, 1.572), 20: (0.729, 0.680, 0.510, 1.490), 25: (0.708, 0.606, 0.565, 1.435)}


def table_6_4_subgroups(subgroups: list) -> list[list[float]]:
    """Samples 1-25 of the piston rings cut to the sizes of Table 6.4, with its sample 21."""
    samples = [list(g[:TABLE_6_4_SIZES.get(i + 1, 5)]) for i, g in enumerate(subgroups[:25])]
    samples[20] = list(TABLE_6_4_SAMPLE_21)
    return samples
