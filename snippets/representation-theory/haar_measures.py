"""Haar measures by Monte Carlo: μ_L(gA) = μ_L(A), μ_R(Ag) = μ_R(A); μ_L(Ag), μ_R(gA) change by Δ(g)^{±1}."""
import math

import matplotlib.pyplot as plt
import torch

from gcnn.groups import ScaleTranslations

torch.manual_seed(0)
gen, T = torch.Generator().manual_seed(0), (lambda *v: torch.tensor(v, dtype=torch.float64))


def measure(density, inside, corners, n=1_000_000):  # ∫ density over a convex set: uniform in its bounding box
    lo, hi = corners.min(0).values, corners.max(0).values
    p = lo + (hi - lo) * torch.rand(n, len(lo), generator=gen, dtype=torch.float64)
    w = density(p) * inside(p) * (hi - lo).prod()
    return w.mean().item(), w.std().item() / math.sqrt(n)  # estimate, standard error


def check(name, group, lo, hi, g):  # A = the box [lo, hi] in coordinates (t, s), or (t, θ) for SE(2)
    split, join = (lambda p: (p[:, :-1], p[:, -1])), (lambda e: torch.cat([e[0], e[1][:, None]], 1))
    left = lambda h: lambda p: join(group.product(h, split(p)))   # p ↦ h p
    right = lambda h: lambda p: join(group.product(split(p), h))  # p ↦ p h
    box = torch.cartesian_prod(*[torch.stack([a, b]) for a, b in zip(lo, hi)]).reshape(-1, len(lo))
    sets = {"A": (lambda p: p,) * 2, "gA": (left(g), left(group.inverse(g))), "Ag": (right(g), right(group.inverse(g)))}
    dens = {"L": lambda p: group.left_haar_density(p[:, -1]), "R": lambda p: group.right_haar_density(p[:, -1])}
    mu = {(m, S): measure(dens[m], lambda p: ((back(p) >= lo) & (back(p) <= hi)).all(1), fwd(box))
          for m in dens for S, (fwd, back) in sets.items()}  # p ∈ gA ⇔ g⁻¹p ∈ A, p ∈ Ag ⇔ pg⁻¹ ∈ A
    delta = group.modular_function(g[1]).item()
    for m, S, expected in [("L", "gA", "invariant: 1"), ("R", "Ag", "invariant: 1"),
                           ("L", "Ag", f"Δ(g) = {delta:.3f}"), ("R", "gA", f"1/Δ(g) = {1 / delta:.3f}")]:
        (num, e1), (den, e2) = mu[m, S], mu[m, "A"]
        print(f"{name}, {dict(L='left', R='right')[m]} measure, μ_{m}({S}) / μ_{m}(A): {num / den:.3f} ± "
              f"{num / den * math.hypot(e1 / num, e2 / den):.3f} ({expected})")
    return {S: (fwd(box[[0, 1, 3, 2]]), mu["L", S][0], mu["R", S][0]) for S, (fwd, _) in sets.items()}


class SE2:  # (t, θ)(t', θ') = (t + R(θ) t', θ + θ'), angles in ℝ (the box A does not wrap around the circle)
    def product(self, g, h):
        (t, a), (u, b) = g, h  # translations t, u and angles a, b
        c, s = a.cos()[..., None], a.sin()[..., None]
        return t + torch.cat([c * u[..., :1] - s * u[..., 1:], s * u[..., :1] + c * u[..., 1:]], -1), a + b
    inverse = lambda self, g: self.product((T(0, 0), -g[1]), (-g[0], torch.zeros_like(g[1])))  # (−R(−θ)t, −θ)
    left_haar_density = right_haar_density = modular_function = lambda self, a: torch.ones_like(a)  # dt dθ


scale = T(2.0)[0]  # the scale s of g = (t, s), or the angle θ of g = (t, θ) in SE(2)
drawn = check("affine", ScaleTranslations(1), T(0, 1), T(1, 2), (T(-1.5), scale))
check("scale-translation ℝ²", ScaleTranslations(2), T(0, 0, 1), T(1, 1, 2), (T(-1.5, 0.5), scale))
check("SE(2)", SE2(), T(0, 0, 0.5), T(1, 1, 1.5), (T(-1.5, 0.5), scale))
a, x0, x1 = 3.0, 0.5, 2.0  # ℝ_{>0} with dx/x: μ([x0, x1]) = log x1 − log x0, exactly
print(f"positive reals, μ(aA) / μ(A) for dx/x: {(math.log(a * x1) - math.log(a * x0)) / math.log(x1 / x0):.6f} "
      f"(for dx: {(a * x1 - a * x0) / (x1 - x0):.6f})")
fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
for S, (corners, mL, mR) in drawn.items():
    ax.fill(corners[:, 0], corners[:, 1], alpha=0.45, label=f"{S}: $\\mu_L$ = {mL:.3f}, $\\mu_R$ = {mR:.3f}")
ax.set(xlabel="translation t (= b)", ylabel="scale s (= a)", ylim=(0, 4.5), title="affine group, g = (−1.5, 2)")
ax.legend(loc="lower left")
plt.show()
