"""A steerable convolution from a scalar field (a digit) to a vector field (SO(2) irrep ψ1):
rotating the digit by 90° moves the arrows AND turns each of them by 90°."""
import math

import matplotlib.pyplot as plt
import torch

from gcnn.data import load_rotated_digits
from gcnn.groups import SO2
from gcnn.representations import irrep, trivial
from gcnn.steerable import FieldType, SteerableConv2d, act_on_image, field_equivariance_errors

torch.manual_seed(0)
group, quarter = SO2(), math.pi / 2
scalar, vector = FieldType(group, [trivial(group)]), FieldType(group, [irrep(group, 1)])
conv = SteerableConv2d(scalar, vector, kernel_size=7, padding=3).double()

digit = load_rotated_digits().train_images[:1].double()  # (1, 1, 29, 29)
rotated = act_on_image(group, quarter, digit)  # exact: a pixel permutation
with torch.no_grad():
    fields = {"digit": conv(digit)[0], "digit rotated by 90°": conv(rotated)[0]}  # (2, 29, 29): (x, y) parts
    turned = vector.act(quarter, fields["digit"][None])[0]  # ρ(g) f(g⁻¹p): moved and turned
error = field_equivariance_errors(conv, digit, scalar, vector, [quarter])[quarter]
print(f"max|conv(rot x) - ψ1(90°)·rot(conv x)| / max|…| = {error:.1e}")
moved_only = act_on_image(group, quarter, fields["digit"])  # arrows moved but not turned
print(f"same, arrows moved but not turned: "
      f"{(fields['digit rotated by 90°'] - moved_only).abs().max() / turned.abs().max():.2f}")

# The field's channels are plane components: x to the right, y UP.  imshow (origin="upper") puts row 0
# at the top, so the data y-axis points down; quiver's default angles="uv" draws (u, v) in screen
# directions (v > 0 is up on screen), so we pass u = x-part and v = y-part unchanged (no sign flip).
# (With angles="xy" the arrows would follow the inverted data axis and v would need a minus sign.)
step = 2
rows, cols = torch.meshgrid(torch.arange(1, 29, step), torch.arange(1, 29, step), indexing="ij")
scale = 2.2 * max(f.norm(dim=0).max().item() for f in fields.values())  # one arrow scale for both panels
fig, axes = plt.subplots(1, 2, figsize=(9, 4.8), layout="constrained")
for ax, (image, (title, field)) in zip(axes, zip([digit, rotated], fields.items())):
    ax.imshow(image[0, 0], cmap="gray_r", interpolation="nearest", origin="upper")
    u, v = field[0][rows, cols], field[1][rows, cols]
    ax.quiver(cols, rows, u, v, color="tab:red", angles="uv", scale=scale, scale_units="inches", width=0.006)
    ax.set_title(f"{title}: vector field (ψ1)", fontsize=11)
    ax.set_axis_off()
fig.suptitle("Rotating the input by 90° rotates the arrows' positions and their directions", fontsize=11)
plt.show()
