"""Independent reference values for iscert's exact E[ESS/N] and sd(ESS/N).

p = N(gap, 1), q = N(0, 1), so r = exp(gap x - gap^2/2). Uses the identity
1/B = int_0^inf exp(-t B) dt with nested SciPy adaptive quadrature (a different
method and code path from iscert's fixed Gauss-Legendre rules). A Monte Carlo run
of 2e5 trials agreed within one standard error at every point.
Run:  python3 scipy_ess.py > ess.json
"""
import json
import numpy as np
from scipy import integrate

def Eq(g, gap):
    f = lambda x: g(np.exp(gap * x - gap * gap / 2)) * np.exp(-x * x / 2) / np.sqrt(2 * np.pi)
    return integrate.quad(f, -40, 40, limit=400, epsabs=0, epsrel=1e-11)[0]

def ess_moments(gap, N):
    def integrand(t, which):
        phi = Eq(lambda r: np.exp(-t * r * r), gap)
        p1 = Eq(lambda r: r * np.exp(-t * r * r), gap)
        p2 = Eq(lambda r: r * r * np.exp(-t * r * r), gap)
        if which == 1:
            return N * p2 * phi ** (N - 1) + N * (N - 1) * p1 * p1 * phi ** (N - 2)
        p3 = Eq(lambda r: r ** 3 * np.exp(-t * r * r), gap)
        p4 = Eq(lambda r: r ** 4 * np.exp(-t * r * r), gap)
        return t * (N * p4 * phi ** (N - 1) + 4 * N * (N - 1) * p3 * p1 * phi ** (N - 2)
                    + 3 * N * (N - 1) * p2 * p2 * phi ** (N - 2)
                    + 6 * N * (N - 1) * (N - 2) * p2 * p1 * p1 * phi ** (N - 3)
                    + N * (N - 1) * (N - 2) * (N - 3) * p1 ** 4 * phi ** (N - 4))
    m1 = integrate.quad(lambda t: integrand(t, 1), 0, np.inf, limit=200, epsrel=1e-8)[0] / N
    s2 = integrate.quad(lambda t: integrand(t, 2), 0, np.inf, limit=200, epsrel=1e-8)[0] / N ** 2
    return m1, float(np.sqrt(s2 - m1 * m1))

out = []
for gap, N in [(0.5, 200), (1.0, 200), (1.0, 1000), (1.5, 200)]:
    m, sd = ess_moments(gap, N)
    out.append({"gap": gap, "samples": N, "mean": m, "sd": sd})
print(json.dumps(out, indent=2))
