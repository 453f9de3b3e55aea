// The yardstick: importance-sampling loops written by hand in C over GSL, as an
// expert would write them for one scenario. iscert's engine is measured against it.
#ifndef ISCERT_YARDSTICK_H
#define ISCERT_YARDSTICK_H

#include <stdint.h>

/// p = N(gap, 1), q = N(0, 1), f = x^2: `trials` trials of `samples` draws, each
/// trial on its own reseeded mt19937 stream; the log-ratio simplified by hand to
/// gap x - gap^2 / 2. Returns the mean of the trial estimates (about 1 + gap^2).
double yardstick_gaussian_gap(uint64_t seed, long trials, long samples, double gap);

/// The same loop on one stream seeded once: what per-trial streams cost.
double yardstick_gaussian_gap_one_stream(uint64_t seed, long trials, long samples, double gap);

#endif
