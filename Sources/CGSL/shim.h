// The C surface of the GNU Scientific Library that iscert uses.
//
// Swift 6 strict concurrency rejects GSL's mutable globals (gsl_rng_mt19937 and
// friends), so generator types are reached through the accessor functions below.
// HAVE_INLINE is deliberately left undefined: Swift links GSL's exported functions.
#ifndef ISCERT_CGSL_SHIM_H
#define ISCERT_CGSL_SHIM_H

#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_log.h>

static inline const gsl_rng_type *iscert_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *iscert_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }
static inline const gsl_rng_type *iscert_rng_taus2(void) { return gsl_rng_taus2; }

/// SplitMix64 (Steele, Lea, Flood 2014): the finaliser iscert uses to spread seeds.
/// Always inlined: -Onone builds compile this header without optimisation.
static inline __attribute__((always_inline)) uint64_t iscert_splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Layout of GSL's mt19937 state (rng/mt.c, unchanged since GSL 1.0).
typedef struct { unsigned long mt[624]; int mti; } iscert_mt19937_state;

/// Seeds `r` from a full 64-bit key.
///
/// gsl_rng_set takes an unsigned long but mt19937 keeps only its low 32 bits, so
/// 10^5 trial streams would collide by the birthday bound. For mt19937 the whole
/// 624-word state is filled from SplitMix64(key) instead, as MT's init_by_array
/// does from a key array (mt[0] gets its top bit so the state is never all zero).
/// Other generators fall back to gsl_rng_set with the key folded to 32 bits.
/// Returns 1 when the full 64-bit key was used, 0 for the 32-bit fallback.
static inline int iscert_rng_seed64(gsl_rng *r, uint64_t key) {
    if (strcmp(gsl_rng_name(r), "mt19937") == 0 && gsl_rng_size(r) == sizeof(iscert_mt19937_state)) {
        iscert_mt19937_state *s = (iscert_mt19937_state *)gsl_rng_state(r);
        // mt[i] is the low half of the (i + 1)-th SplitMix64 output from `key`, whose
        // state is then key + (i + 1) * golden: four words a step, in vector lanes,
        // because -Onone builds compile this header without optimisation and the
        // scalar loop costs half as much again per word (624 words every trial).
        // The same arithmetic as iscert_splitmix64, lane by lane.
        typedef uint64_t iscert_u64x4 __attribute__((vector_size(32)));
        const uint64_t golden = 0x9E3779B97F4A7C15ULL;
        iscert_u64x4 state = {key + golden, key + 2 * golden, key + 3 * golden, key + 4 * golden};
        const iscert_u64x4 step = {4 * golden, 4 * golden, 4 * golden, 4 * golden};
        for (int i = 0; i < 624; i += 4) {
            iscert_u64x4 z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            z = (z ^ (z >> 31)) & 0xffffffffULL;
#if ULONG_MAX == 0xffffffffffffffffULL
            memcpy(s->mt + i, &z, sizeof z);
#else
            for (int lane = 0; lane < 4; lane++) s->mt[i + lane] = (unsigned long)z[lane];
#endif
            state += step;
        }
        s->mt[0] |= 0x80000000UL;
        s->mti = 624;
        return 1;
    }
    uint64_t folded = (key ^ (key >> 32)) & 0xffffffffULL;
    gsl_rng_set(r, (unsigned long)folded);
    return 0;
}

#endif
