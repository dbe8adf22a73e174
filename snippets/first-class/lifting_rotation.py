"""A C4 lifting convolution: rotating the input rotates every feature map
and cycles them one step along the group axis."""
import matplotlib.pyplot as plt
import torch

from gcnn.groups import CyclicGroup
from gcnn.nn import LiftingConv2d
from gcnn.testing import equivariance_errors

torch.manual_seed(0)
C4 = CyclicGroup(4)
lifting = LiftingConv2d(C4, in_channels=1, out_channels=1, kernel_size=5, padding=2)

image = torch.zeros(1, 1, 21, 21)  # a letter "F": no rotation maps it to itself
image[..., 4:17, 6:9] = 1.0
image[..., 4:7, 9:15] = 1.0
image[..., 9:12, 9:13] = 1.0
rotated = C4.act_on_image(1, image)  # 90° counter-clockwise

with torch.no_grad():
    rows = [(image, lifting(image)), (rotated, lifting(rotated))]

errors = equivariance_errors(lifting.double(), image.double(), C4)  # checked in float64
for g, error in errors.items():
    print(f"g = {g} ({round(C4.angle(g) * 180 / torch.pi):>3}°): relative error {error:.1e}")

scale = rows[0][1].abs().max()
fig, axes = plt.subplots(2, 5, figsize=(11, 4.8), layout="constrained")
for r, (x, features) in enumerate(rows):
    axes[r, 0].imshow(x[0, 0], cmap="viridis", interpolation="nearest")
    axes[r, 0].set_title("input" if r == 0 else "input rotated 90°")
    for h in C4.elements():
        ax = axes[r, h + 1]
        ax.imshow(features[0, 0, h], cmap="RdBu_r", vmin=-scale, vmax=scale, interpolation="nearest")
        # row 2, channel h is row 1, channel h-1, rotated
        source = f" = rot(h={C4.product(C4.inverse(1), h)})" if r == 1 else ""
        ax.set_title(f"h={h} ({90 * h}° kernel){source}", fontsize=9)
for ax in axes.flat:
    ax.set_axis_off()
fig.suptitle("Lifting convolution with C4: (k ⋆ rot f)(x, h) = (k ⋆ f)(rot⁻¹x, h − 1)")
plt.show()
