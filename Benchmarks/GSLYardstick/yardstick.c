#include "yardstick.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

static double run(uint64_t seed, long trials, long samples, double gap, int reseed) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    const double half_gap2 = 0.5 * gap * gap;
    double total = 0;
    for (long k = 0; k < trials; k++) {
        // A fresh stream per trial, as the engine does (GSL's own 32-bit seeding).
        if (reseed || k == 0) gsl_rng_set(r, (unsigned long)(seed + (uint64_t)k));
        double sum_rf = 0, sum_r = 0, sum_r2 = 0;
        for (long i = 0; i < samples; i++) {
            const double x = gsl_ran_gaussian_ziggurat(r, 1.0);
            const double w = exp(gap * x - half_gap2);
            sum_rf += w * x * x;
            sum_r += w;
            sum_r2 += w * w;
        }
        // Keep the ESS sums live so the compiler cannot drop them.
        total += sum_rf / (double)samples + 0 * (sum_r * sum_r / sum_r2);
    }
    gsl_rng_free(r);
    return total / (double)trials;
}

double yardstick_gaussian_gap(uint64_t seed, long trials, long samples, double gap) {
    return run(seed, trials, samples, gap, 1);
}

double yardstick_gaussian_gap_one_stream(uint64_t seed, long trials, long samples, double gap) {
    return run(seed, trials, samples, gap, 0);
}
