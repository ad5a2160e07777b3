#!/usr/bin/env python3
"""Fits the rational tanh of src/LstmGen/Runtime/VectorMath.cs and prints its float32 coefficients.

tanh(x) = x * P(z) / Q(z), z = x*x, on |x| <= CLAMP (above, tanh rounds to +-1 in float32: 1 - tanh(x) < 2^-25
from x = 9.011 on). P and Q have degree 4 in z and P(0) = Q(0) = 1, so a tiny x gives x exactly. The fit minimises
the largest relative error on a dense grid: weighted least squares on the linearised error (P - f Q) / (f Q_prev)
(Sanathanan-Koerner), reweighted by the error (Lawson) until the error levels out. The coefficients are then rounded
to float32 one at a time, highest degree first, refitting the ones not yet rounded. The float32 evaluation itself
(FMA, Estrin order, one division) is measured over every float by the C# tests, not here.

Usage: /usr/bin/python3 fit_tanh.py   (Debian packages python3-numpy)
"""
import numpy as np

CLAMP = 9.1
DEGREE = 4
SCALE = CLAMP * CLAMP                 # z / SCALE in [0, 1] keeps the least-squares problem well conditioned

x = np.unique(np.concatenate([np.linspace(1e-4, CLAMP, 20000), np.geomspace(1e-4, CLAMP, 5000)]))
u = x * x / SCALE
f = np.tanh(x) / x
powers = np.stack([u ** k for k in range(1, DEGREE + 1)], axis=1)

def fit(fixed_p, fixed_q, iterations=300):
    """p_k, q_k (k = 1..DEGREE, in u) with the given ones held; returns (p, q, max relative error)."""
    free = [("p", k) for k in range(DEGREE) if k not in fixed_p] + [("q", k) for k in range(DEGREE) if k not in fixed_q]
    p = np.array([fixed_p.get(k, 0.0) for k in range(DEGREE)])
    q = np.array([fixed_q.get(k, 0.0) for k in range(DEGREE)])
    w = np.ones(len(u))
    for _ in range(iterations):
        q_prev = 1 + powers @ q
        # (1 + U p) - f (1 + U q) = 0, split into free unknowns and the fixed part
        rhs = f - 1 - powers[:, list(fixed_p)] @ np.array(list(fixed_p.values())) + f * (powers[:, list(fixed_q)] @ np.array(list(fixed_q.values()))) if (fixed_p or fixed_q) else f - 1
        cols = [powers[:, k] if kind == "p" else -f * powers[:, k] for kind, k in free]
        A = np.stack(cols, axis=1) / (f * q_prev)[:, None]
        b = rhs / (f * q_prev)
        sw = np.sqrt(w)
        sol, *_ = np.linalg.lstsq(A * sw[:, None], b * sw, rcond=None)
        for (kind, k), v in zip(free, sol):
            (p if kind == "p" else q)[k] = v
        e = np.abs((1 + powers @ p) / (1 + powers @ q) / f - 1)
        w = np.maximum(w * e, 1e-300); w /= w.sum()
    return p, q, e.max()

def to_float32(v, k):
    """A coefficient of u^k as the float32 coefficient of z^k."""
    return float(np.float32(v / SCALE ** k))

def from_float32(c, k):
    return c * SCALE ** k

if __name__ == "__main__":
    p, q, err = fit({}, {})
    print(f"double coefficients: max relative error {err:.3g} on [0, {CLAMP}]")
    fixed_p, fixed_q = {}, {}
    for k in reversed(range(DEGREE)):           # round the highest powers first, refit the rest
        fixed_p[k] = from_float32(to_float32(p[k], k + 1), k + 1)
        fixed_q[k] = from_float32(to_float32(q[k], k + 1), k + 1)
        if len(fixed_p) < DEGREE:
            p, q, err = fit(fixed_p, fixed_q)
    p = np.array([fixed_p[k] for k in range(DEGREE)]); q = np.array([fixed_q[k] for k in range(DEGREE)])
    err = np.max(np.abs((1 + powers @ p) / (1 + powers @ q) / f - 1))
    print(f"float32 coefficients: max relative error {err:.3g} (exact arithmetic)")
    for k in range(DEGREE): print(f"P{k + 1} = {np.float32(to_float32(p[k], k + 1))!r}f")
    for k in range(DEGREE): print(f"Q{k + 1} = {np.float32(to_float32(q[k], k + 1))!r}f")
