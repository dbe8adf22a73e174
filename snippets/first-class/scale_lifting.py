"""Lifting to the scale-translation group ℝ² ⋊ ℝ_{>0}: (k ⋆ f)(x, s) = Σ_x̃ s⁻² k(s⁻¹(x̃ − x)) f(x̃) at
scales s = 2^{i/2}. Dilating the input by 2 moves the output two scale steps up (and out by 2 in the plane)."""
import matplotlib.pyplot as plt
import torch

from gcnn.nn import ScaleLiftingConv2d

torch.manual_seed(0)
size, c = 97, 48  # pixel (c, c) is the origin; f(x/2) at an even offset 2u is f at u
centres, widths = torch.randn(6, 2, dtype=torch.float64) * 5, 1.5 + 2 * torch.rand(6, dtype=torch.float64)
amplitudes = torch.randn(6, dtype=torch.float64)
coords = torch.arange(size, dtype=torch.float64) - c


def image(dilation):  # f(x / dilation), f a sum of Gaussian blobs: exact on the grid, no interpolation
    x, y = coords[None, :] / dilation, -coords[:, None] / dilation
    return sum(a * torch.exp(-((x - p[0]) ** 2 + (y - p[1]) ** 2) / (2 * w**2))
               for a, p, w in zip(amplitudes, centres, widths))[None, None]


scales = [2 ** (i / 2) for i in range(5)]
for sigma in (0.5, 1.0):  # kernel width in pixels at the smallest scale
    torch.manual_seed(1)
    layer = ScaleLiftingConv2d(1, 4, scales, order=2, sigma=sigma).double()
    with torch.no_grad():
        out, dilated = layer(image(1.0)), layer(image(2.0))
    errors = []
    for i in range(3):  # (k ⋆ f₂)(2u, 2s) against (k ⋆ f)(u, s)
        a = dilated[..., i + 2, c - 40:c + 41:2, c - 40:c + 41:2]
        b = out[..., i, c - 20:c + 21, c - 20:c + 21]
        errors.append(f"s = {scales[i]:.2f}: {float((a - b).abs().max() / b.abs().max()):.0e}")
    print(f"relative scale-equivariance error, σ = {sigma}: " + ", ".join(errors))

fig, axes = plt.subplots(2, 5, figsize=(11, 4.6), layout="constrained")
for row, (name, signal) in enumerate((("f", out), ("f(x/2)", dilated))):
    for i, ax in enumerate(axes[row]):
        ax.imshow(signal[0, 0, i], cmap="RdBu_r")
        ax.set_title(f"{name}, s = {scales[i]:.2f}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
fig.suptitle("one output channel at five scales (σ = 1): the dilated input's maps, two scales later, "
             "are the original's, dilated", fontsize=10)
plt.show()
