"""Independent reference values for ParetoSmoothing (PSIS k-hat and smoothed log-weights).

Builds fixed log-weight vectors with numpy's default_rng and fixed seeds and records what
arviz's implementations make of them:

* "khat" / "smoothed": arviz-stats' PSIS tail routine (`array_stats._ps_tail`, the routine behind
  its public `psislw`) called with the tail length M = ceil(min(S/5, 3 sqrt(S))) of Vehtari et
  al. (2024), legacy arviz's `psislw` and the loo R package (r_eff = 1). arviz-stats' public
  `psislw` rounds M down instead, so it is recorded separately:
* "floorTailLength" / "khatFloor" / "smoothedFloor": arviz-stats' public `psislw(-log_weights)`
  (it takes log-likelihoods, hence the sign), M = floor(min(S/5, 3 sqrt(S))); null where that M < 5
  (arviz-stats refuses to fit then).
* "khatLegacy": legacy `arviz.psislw(log_weights)` (ceil rule as well). Legacy arviz puts into the
  tail only weights strictly above the cutoff, so it differs from the M-largest rule when the
  (M+1)-th and M-th largest weights tie; null there. Where it applies, this script also asserts that
  its smoothed log-weights agree with "smoothed" to 1e-12 (up to the order of the quantiles given to
  tied inputs, which depends on numpy's unstable argsort).

All smoothed log-weights are normalised (logsumexp = 0), as both arviz packages return them.
-inf log-weights are written as null. Inputs are rounded to 17 significant digits (exact doubles),
outputs to 15.

Run:  python3 make_reference.py   (writes reference.json beside this file)
      python3 make_reference.py --mean-khat   (prints the sampling mean and sd of k-hat for
      p = N(0,1), q = N(0,0.8^2), S = 1000, over 20,000 sets: the centre of the property test)
"""
import json
import math
import os
import warnings

import numpy as np
import arviz_stats
from arviz_stats.base import array_stats
from scipy import stats

warnings.simplefilter("ignore")  # legacy arviz's refactor notice and psislw's k-hat warnings
import arviz  # noqa: E402


def ceil_tail(s):
    return int(math.ceil(min(s / 5.0, 3 * math.sqrt(s))))


def floor_tail(s):
    return int(math.floor(min(s / 5.0, 3 * math.sqrt(s))))


def normal_pair(seed, s, sq, mean_p=0.0):
    """log p(x) - log q(x) for x ~ q = N(0, sq), p = N(mean_p, 1)."""
    x = np.random.default_rng(seed).normal(0.0, sq, s)
    return stats.norm.logpdf(x, mean_p, 1.0) - stats.norm.logpdf(x, 0.0, sq)


def cases():
    out = []
    for seed, sq in [(101, 0.9), (102, 0.8), (103, 0.7), (104, 0.6)]:
        out.append((f"normal-sd{sq}", f"p=N(0,1), q=N(0,{sq}), S=1000, exact k={1 - sq * sq:.2f}",
                    normal_pair(seed, 1000, sq)))
    out.append(("shifted-mean", "p=N(1,1), q=N(0,1), S=1000 (lognormal weights, exact k=0)",
                normal_pair(105, 1000, 1.0, mean_p=1.0)))
    x = np.random.default_rng(106).normal(0.0, 1.0, 1000)
    out.append(("t3-target", "p=t_3, q=N(0,1), S=1000 (infinite-variance weights)",
                stats.t.logpdf(x, 3) - stats.norm.logpdf(x)))
    x = np.random.default_rng(107).standard_t(3, 1000)
    out.append(("t3-proposal", "p=N(0,1), q=t_3, S=1000 (bounded weights, k<0)",
                stats.norm.logpdf(x) - stats.t.logpdf(x, 3)))
    out.append(("small-S100", "p=N(0,1), q=N(0,0.7), S=100 (M=S/5)", normal_pair(108, 100, 0.7)))
    out.append(("minimum-S21", "p=N(0,1), q=N(0,0.8), S=21 (smallest S with M>=5)",
                normal_pair(109, 21, 0.8)))
    out.append(("S226", "p=N(0,1), q=N(0,0.8), S=226 (first S on the 3 sqrt(S) branch)",
                normal_pair(110, 226, 0.8)))
    out.append(("large-S4000", "p=N(0,1), q=N(0,0.8), S=4000", normal_pair(111, 4000, 0.8)))
    lw = np.round(normal_pair(112, 1000, 0.8), 1)
    out.append(("ties-rounded", "p=N(0,1), q=N(0,0.8), S=1000, log-weights rounded to 0.1 (ties at the cutoff)", lw))
    lw = normal_pair(113, 1000, 0.7)
    order = np.argsort(lw)
    lw[order[-3]] = lw[order[-2]]  # a tie among the largest
    lw[order[-10:-6]] = lw[order[-6]]  # five equal weights inside the tail
    out.append(("ties-in-tail", "p=N(0,1), q=N(0,0.7), S=1000, ties inside the tail only", lw))
    lw = normal_pair(114, 1000, 0.8)
    lw[np.argsort(lw)[:10]] = -np.inf
    out.append(("minus-inf", "p=N(0,1), q=N(0,0.8), S=1000, the ten smallest log-weights set to -inf", lw))
    lw = normal_pair(115, 1000, 0.6) * 5.0 + 9000.0
    out.append(("huge-offset", "5 (log p - log q) + 9000 for p=N(0,1), q=N(0,0.6), S=1000 "
                "(exp overflows unless shifted; k is scaled by 5)", lw))
    lw = np.append(np.random.default_rng(116).normal(0.0, 1.0, 999), 50.0)
    out.append(("dominant-weight", "999 N(0,1) log-weights and one of 50 (one weight dominates, k>1)", lw))
    return out


def sig(v, digits):
    if not np.isfinite(v):
        assert v == -np.inf, v
        return None
    return float(f"{v:.{digits - 1}e}")


def main():
    records = []
    for name, summary, lw in cases():
        lw = np.array([float(f"{v:.16e}") if np.isfinite(v) else v for v in lw])  # exact in JSON
        s = lw.size
        m = ceil_tail(s)
        smoothed, khat = array_stats._ps_tail(lw.copy(), s, m, smooth_draws=True, tail="right",
                                              log_weights=True)
        rec = {"name": name, "summary": summary, "logWeights": [sig(v, 17) for v in lw],
               "tailLength": m, "khat": float(khat), "smoothed": [sig(v, 15) for v in smoothed]}
        mf = floor_tail(s)
        rec["floorTailLength"] = mf
        if mf >= 5:
            sf, kf = array_stats.psislw(-lw, r_eff=1)
            rec["khatFloor"] = float(kf)
            rec["smoothedFloor"] = [sig(v, 15) for v in sf]
        else:
            rec["khatFloor"] = None
            rec["smoothedFloor"] = None
        srt = np.sort(lw)
        if srt[-m - 1] < srt[-m]:
            sl, kl = arviz.psislw(lw.copy(), reff=1.0)
            rec["khatLegacy"] = float(kl)
            assert abs(kl - khat) < 1e-12, (name, kl, khat)
            fin = np.isfinite(smoothed)
            assert np.all(np.isfinite(sl) == fin)
            # tied inputs may receive their tail quantiles in either order (argsort is not stable)
            assert np.max(np.abs(np.sort(sl[fin]) - np.sort(smoothed[fin]))) < 1e-12, name
            _, inv, cnt = np.unique(lw, return_inverse=True, return_counts=True)
            alone = fin & (cnt[inv] == 1)
            assert np.max(np.abs(sl[alone] - smoothed[alone])) < 1e-12, name
        else:
            rec["khatLegacy"] = None
        records.append(rec)
        print(f"{name:14s} S={s:5d} M={m:4d} khat={khat:.6f} floorM={mf} "
              f"khatFloor={rec['khatFloor']} khatLegacy={rec['khatLegacy']}")
    doc = {"generator": "make_reference.py", "arviz_stats": arviz_stats.__version__,
           "arviz": arviz.__version__, "numpy": np.__version__, "cases": records}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(path, os.path.getsize(path), "bytes")


def mean_khat(sets=20000, draws=1000, seed=77):
    rng = np.random.default_rng(seed)
    m = ceil_tail(draws)
    ks = np.empty(sets)
    for i in range(sets):
        x = rng.normal(0.0, 0.8, draws)
        lw = -x * x / 2 + x * x / (2 * 0.64) + math.log(0.8)
        ks[i] = array_stats._ps_tail(lw, draws, m, smooth_draws=False, tail="right", log_weights=True)[1]
    print(f"M={m} sets={sets} mean={ks.mean():.4f} se={ks.std(ddof=1) / math.sqrt(sets):.4f} "
          f"sd={ks.std(ddof=1):.4f}")


if __name__ == "__main__":
    import sys
    if "--mean-khat" in sys.argv:
        mean_khat()
    else:
        main()
