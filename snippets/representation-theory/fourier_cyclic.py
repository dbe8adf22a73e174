"""A function on C8, its Fourier coefficients, and those of its shifted copy (the shift theorem)."""
import matplotlib.pyplot as plt
import torch

from gcnn.fourier import fourier_transform, inversion_error, parseval_error, shift_signal, shift_theorem_error
from gcnn.groups import CyclicGroup

torch.manual_seed(0)
group = CyclicGroup(8)
f = torch.randn(group.order, dtype=torch.float64)
u = 3  # shift by u: (L_u f)(g) = f(u⁻¹ g)
shifted = shift_signal(group, f, u)
spectrum, spectrum_shifted = fourier_transform(group, f), fourier_transform(group, shifted)
print(f"inverse(forward(f)) - f: {inversion_error(group, f):.1e}")
print(f"Parseval: {parseval_error(group, f):.1e}")
print(f"shift theorem |(L_u f)^(ψ) - ψ(u) f^(ψ)|: {shift_theorem_error(group, f, u):.1e}")
for name in spectrum:
    print(f"{name:4s} |f^| = {spectrum[name].norm():.3f}   |(L_u f)^| = {spectrum_shifted[name].norm():.3f}")

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
left.stem(range(8), f.tolist(), label="f")
left.plot(range(8), shifted.tolist(), "o", color="C1", label=f"$L_u f$, u = {u}")
left.set(xlabel="group element $g$ of $C_8$", title="a function on $C_8$ and its shift")
left.legend(fontsize=9)
names = list(spectrum)
right.bar([i - 0.2 for i in range(len(names))], [spectrum[n].norm() for n in names], width=0.4, label="$f$")
right.bar([i + 0.2 for i in range(len(names))], [spectrum_shifted[n].norm() for n in names], width=0.4,
          label="$L_u f$")
right.set_xticks(range(len(names)), [f"${n}$" for n in names])
right.set(title="norm of each Fourier coefficient: unchanged by the shift")
right.legend(fontsize=9)
plt.show()
