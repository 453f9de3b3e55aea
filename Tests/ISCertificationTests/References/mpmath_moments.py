"""Independent reference values for iscert's exact moments.

Computes E_q[r^a f^b] = int p^a q^(1-a) f^b dx with mpmath at 40 significant
digits, for scenario pairs without a closed form, and writes moments.json.
Run:  python3 mpmath_moments.py > moments.json
"""
import json
import mpmath as mp

mp.mp.dps = 40

def normal(m, s):   return lambda x: mp.npdf(x, m, s)
def expo(l):        return lambda x: l * mp.exp(-l * x) if x >= 0 else mp.mpf(0)
def gamma(k, th):   return lambda x: x ** (k - 1) * mp.exp(-x / th) / (mp.gamma(k) * th ** k) if x > 0 else mp.mpf(0)
def beta(a, b):     return lambda x: x ** (a - 1) * (1 - x) ** (b - 1) / mp.beta(a, b) if 0 < x < 1 else mp.mpf(0)
def unif(lo, hi):   return lambda x: 1 / mp.mpf(hi - lo) if lo <= x <= hi else mp.mpf(0)
def lognorm(m, s):  return lambda x: mp.npdf(mp.log(x), m, s) / x if x > 0 else mp.mpf(0)
def student(nu, loc, sc):
    c = mp.gamma((nu + 1) / mp.mpf(2)) / (mp.sqrt(nu * mp.pi) * mp.gamma(nu / mp.mpf(2)) * sc)
    return lambda x: c * (1 + ((x - loc) / sc) ** 2 / nu) ** (-(nu + 1) / mp.mpf(2))
def laplace(loc, b): return lambda x: mp.exp(-abs(x - loc) / b) / (2 * b)
def mixture(*parts): return lambda x: sum(w * d(x) for w, d in parts)

cases = [
    # name, p, q, f, support pieces (breakpoints for mpmath.quad)
    ("exponential-pair", expo(1), expo(0.7), lambda x: x, [0, 1, 5, 20, 60, mp.inf]),
    ("gamma-pair", gamma(3, 1), gamma(2, 2), lambda x: x, [0, 1, 3, 10, 30, 100, mp.inf]),
    ("beta-uniform", beta(2, 5), unif(0, 1), lambda x: x, [0, 0.2, 0.5, 1]),
    ("lognormal-pair", lognorm(0, 0.5), lognorm(0.2, 0.6), lambda x: mp.log(x), [0, 0.1, 1, 3, 10, 100, mp.inf]),
    ("heavy-behavior-safe", normal(0.5, 1), student(3, 0, 1), lambda x: x, [-mp.inf, -10, -2, 0, 2, 10, mp.inf]),
    ("mixture-target", mixture((0.3, normal(-2, 0.7)), (0.7, normal(1.5, 1))), normal(0, 2.5), lambda x: x,
     [-mp.inf, -10, -3, 0, 3, 10, mp.inf]),
    ("laplace-shift", laplace(0.5, 1), laplace(0, 1), lambda x: x * x, [-mp.inf, -10, 0, 0.5, 10, mp.inf]),
]

out = {}
for name, p, q, f, pts in cases:
    row = {}
    for a, b in [(1, 1), (2, 0), (3, 0), (4, 0), (2, 2), (3, 3), (4, 4)]:
        def g(x, a=a, b=b):
            px, qx = p(x), q(x)
            if px == 0 or qx == 0:
                return mp.mpf(0)
            return px ** a * qx ** (1 - a) * f(x) ** b
        row[f"E_q[r^{a} f^{b}]"] = float(mp.quad(g, pts))
    out[name] = row
print(json.dumps(out, indent=2, sort_keys=True))
