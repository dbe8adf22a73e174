"""A band-limited function on SO(2), sampled: its spectrum, and the spectrum after an off-grid shift."""
import math

import matplotlib.pyplot as plt
import torch

from gcnn.fourier import fourier_transform, inverse_fourier_transform, shift_theorem_error, signal_elements
from gcnn.groups import SO2

torch.manual_seed(0)
group, band = SO2(), 3                        # frequencies 0..3 need at least 2·3 + 1 = 7 samples
weights = torch.randn(2 * band + 1, dtype=torch.float64)


def f(theta):
    """cos/sin terms of frequency up to `band`: a band-limited function on the circle."""
    terms = [1.0] + [t(k * theta) for k in range(1, band + 1) for t in (math.cos, math.sin)]
    return sum(w * term for w, term in zip(weights.tolist(), terms))


angles = signal_elements(group, 9)            # 9 evenly spaced rotations
u = 0.3                                       # a shift that is not on the grid
samples = torch.tensor([f(t) for t in angles], dtype=torch.float64)
shifted = torch.tensor([f(t - u) for t in angles], dtype=torch.float64)  # (L_u f)(θ) = f(θ - u)
spectrum = fourier_transform(group, samples, max_frequency=band)
fine = torch.linspace(0, 2 * math.pi, 200, dtype=torch.float64).tolist()
rebuilt = inverse_fourier_transform(group, spectrum, elements=fine)
print(f"max |f - inverse(forward(samples))| on 200 points between the samples: "
      f"{max(abs(f(t) - r) for t, r in zip(fine, rebuilt.tolist())):.1e}")
print(f"shift theorem for u = {u} rad (off the sampling grid): "
      f"{shift_theorem_error(group, samples, u, shifted=shifted):.1e}")

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
left.plot(fine, [f(t) for t in fine], label="$f$")
left.plot(fine, [f(t - u) for t in fine], label=f"$L_u f$, $u$ = {u}")
left.plot(angles, samples.tolist(), "o", color="C0", label="9 samples")
left.set(xlabel="rotation angle θ (rad)", title="a band-limited function on SO(2)")
left.legend(fontsize=8)
shifted_spectrum = fourier_transform(group, shifted, max_frequency=band)
names = list(spectrum)
right.bar([i - 0.2 for i in range(len(names))], [spectrum[n].norm() for n in names], width=0.4, label="$f$")
right.bar([i + 0.2 for i in range(len(names))], [shifted_spectrum[n].norm() for n in names], width=0.4,
          label="$L_u f$")
right.set_xticks(range(len(names)), [f"${n}$" for n in names])
right.set(title="coefficient norms per frequency")
right.legend(fontsize=8)
plt.show()
