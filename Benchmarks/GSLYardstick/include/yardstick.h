// The yardstick: importance-sampling loops written by hand in C over GSL, as an
// expert would write them for one scenario. iscert's engine is measured against it.
//
// Every loop runs trials first_trial ..< first_trial + trials, each on its own
// mt19937 stream seeded exactly as the engine seeds it (shim.h:
// iscert_rng_seed64 with key splitmix64(scenario_key ^ trial)), so that with the
// engine's scenario key both draw the same numbers. Each trial computes the IS
// estimate (1/N) sum r f and the ESS sums sum r, sum r^2, as the engine does.
// Each returns the sum of the trial estimates, so that callers may split the
// trials over threads and add the parts.
#ifndef ISCERT_YARDSTICK_H
#define ISCERT_YARDSTICK_H

#include <stdint.h>

/// p = N(gap, 1), q = N(0, 1), f = x^2; the log-ratio simplified by hand to
/// gap x - gap^2 / 2.
double yardstick_gaussian_gap(uint64_t scenario_key, long first_trial, long trials, long samples, double gap);

/// The same loop on one stream seeded once: what per-trial streams cost.
double yardstick_gaussian_gap_one_stream(uint64_t scenario_key, long trials, long samples, double gap);

/// p = beta(a, b), q = uniform(low, high), f = x; r = gsl_ran_beta_pdf / gsl_ran_flat_pdf.
double yardstick_beta_uniform(uint64_t scenario_key, long first_trial, long trials, long samples,
                              double a, double b, double low, double high);

/// p = w N(m1, s1^2) + (1 - w) N(m2, s2^2), q = N(mq, sq^2), f = x; each density
/// from gsl_ran_gaussian_pdf, r = p / q.
double yardstick_normal_mixture(uint64_t scenario_key, long first_trial, long trials, long samples,
                                double w, double m1, double s1, double m2, double s2, double mq, double sq);

/// Independent tokens: each of `length` tokens drawn by inversion of `cumulative`
/// (the behaviour's, as the engine keeps it), log-weight and reward summed per
/// token from the tables; returns the sum of the trials' IS estimates.
double yardstick_tokens(uint64_t scenario_key, long first_trial, long trials, long samples, long length,
                        long vocabulary, const double *cumulative, const double *log_ratio, const double *reward);

#endif
