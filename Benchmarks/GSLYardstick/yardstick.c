#include "yardstick.h"

#include <math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "shim.h"

// One trial's stream, keyed as the engine keys it (TrialSeed.trialKey).
static void seed_trial(gsl_rng *r, uint64_t scenario_key, long trial) {
    uint64_t state = scenario_key ^ (uint64_t)trial;
    iscert_rng_seed64(r, iscert_splitmix64(&state));
}

static double gaussian_gap(uint64_t scenario_key, long first_trial, long trials, long samples, double gap,
                           int reseed) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    const double half_gap2 = 0.5 * gap * gap;
    double total = 0;
    for (long k = first_trial; k < first_trial + trials; k++) {
        if (reseed || k == first_trial) seed_trial(r, scenario_key, k);
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
    return total;
}

double yardstick_gaussian_gap(uint64_t scenario_key, long first_trial, long trials, long samples, double gap) {
    return gaussian_gap(scenario_key, first_trial, trials, samples, gap, 1);
}

double yardstick_gaussian_gap_one_stream(uint64_t scenario_key, long trials, long samples, double gap) {
    return gaussian_gap(scenario_key, 0, trials, samples, gap, 0);
}

double yardstick_beta_uniform(uint64_t scenario_key, long first_trial, long trials, long samples,
                              double a, double b, double low, double high) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double total = 0;
    for (long k = first_trial; k < first_trial + trials; k++) {
        seed_trial(r, scenario_key, k);
        double sum_rf = 0, sum_r = 0, sum_r2 = 0;
        for (long i = 0; i < samples; i++) {
            const double x = gsl_ran_flat(r, low, high);
            const double w = gsl_ran_beta_pdf(x, a, b) / gsl_ran_flat_pdf(x, low, high);
            sum_rf += w * x;
            sum_r += w;
            sum_r2 += w * w;
        }
        total += sum_rf / (double)samples + 0 * (sum_r * sum_r / sum_r2);
    }
    gsl_rng_free(r);
    return total;
}

double yardstick_normal_mixture(uint64_t scenario_key, long first_trial, long trials, long samples,
                                double w, double m1, double s1, double m2, double s2, double mq, double sq) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double total = 0;
    for (long k = first_trial; k < first_trial + trials; k++) {
        seed_trial(r, scenario_key, k);
        double sum_rf = 0, sum_r = 0, sum_r2 = 0;
        for (long i = 0; i < samples; i++) {
            const double x = mq + gsl_ran_gaussian_ziggurat(r, sq);
            const double p = w * gsl_ran_gaussian_pdf(x - m1, s1) + (1 - w) * gsl_ran_gaussian_pdf(x - m2, s2);
            const double ratio = p / gsl_ran_gaussian_pdf(x - mq, sq);
            sum_rf += ratio * x;
            sum_r += ratio;
            sum_r2 += ratio * ratio;
        }
        total += sum_rf / (double)samples + 0 * (sum_r * sum_r / sum_r2);
    }
    gsl_rng_free(r);
    return total;
}

double yardstick_tokens(uint64_t scenario_key, long first_trial, long trials, long samples, long length,
                        long vocabulary, const double *cumulative, const double *log_ratio, const double *reward) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double total = 0;
    for (long k = first_trial; k < first_trial + trials; k++) {
        seed_trial(r, scenario_key, k);
        double sum_rf = 0, sum_r = 0, sum_r2 = 0;
        for (long i = 0; i < samples; i++) {
            double log_w = 0, f = 0;
            for (long t = 0; t < length; t++) {
                const double u = gsl_rng_uniform(r);
                long v = 0;
                while (u >= cumulative[v]) v++;
                log_w += log_ratio[v];
                f += reward[v];
            }
            const double w = exp(log_w);
            sum_rf += w * f;
            sum_r += w;
            sum_r2 += w * w;
        }
        total += sum_rf / (double)samples + 0 * (sum_r * sum_r / sum_r2);
    }
    (void)vocabulary;
    gsl_rng_free(r);
    return total;
}
