"""Animation: a digit rotating through a full turn and the vector field (SO(2) irrep ψ1) that a steerable
convolution computes from each rotated copy: the arrows travel with the digit and turn by the same angle."""
import math

import matplotlib.pyplot as plt
import torch
from matplotlib.animation import FuncAnimation

from gcnn.data import load_rotated_digits
from gcnn.groups import SO2
from gcnn.representations import irrep, trivial
from gcnn.steerable import FieldType, SteerableConv2d, act_on_image, field_equivariance_errors

torch.manual_seed(0)
group, frames = SO2(), 24
scalar, vector = FieldType(group, [trivial(group)]), FieldType(group, [irrep(group, 1)])
conv = SteerableConv2d(scalar, vector, kernel_size=7, padding=3).double()
digit = torch.nn.functional.pad(load_rotated_digits().train_images[:1].double(), (2, 2, 2, 2))  # 33 x 33
angles = [2 * math.pi * k / frames for k in range(frames)]  # 15° steps: every 6th is a quarter turn
inputs = [act_on_image(group, angle, digit) for angle in angles]  # off the grid: bilinear resampling
with torch.no_grad():
    fields = [conv(x)[0] for x in inputs]  # (2, 33, 33): x and y parts of the arrows
errors = field_equivariance_errors(conv, digit, scalar, vector, angles)
exact = [e for k, e in enumerate(errors.values()) if k % 6 == 0]
print(f"equivariance error at 0°, 90°, 180°, 270°: max {max(exact):.1e}")
print(f"at the {frames - 4} angles in between (the input is resampled): max {max(errors.values()):.2f}")

# The field's channels are plane components (x right, y up); quiver's default angles="uv" draws v > 0 upwards
# on screen even though imshow's rows run downwards, so the y-part is passed unchanged.
step = 2
rows, cols = torch.meshgrid(torch.arange(1, 33, step), torch.arange(1, 33, step), indexing="ij")
longest = max(f.norm(dim=0).max().item() for f in fields)


def arrows(field):  # only arrows longer than 15% of the longest are drawn (NaN hides the others)
    u, v = field[0][rows, cols], field[1][rows, cols]
    hide = (u ** 2 + v ** 2).sqrt() < 0.15 * longest
    return u.masked_fill(hide, float("nan")), v.masked_fill(hide, float("nan"))


fig, ax = plt.subplots(figsize=(4.2, 4.4), layout="constrained")
image = ax.imshow(inputs[0][0, 0], cmap="gray_r", vmin=0, vmax=digit.max().item(), interpolation="nearest")
quiver = ax.quiver(cols, rows, *arrows(fields[0]), color="tab:red", angles="uv", scale=2.2 * longest,
                   scale_units="inches", width=0.007)
ax.set_axis_off()


def show(k):
    image.set_data(inputs[k][0, 0])
    quiver.set_UVC(*arrows(fields[k]))
    ax.set_title(f"input rotated by {math.degrees(angles[k]):.0f}°: ψ1 field of the output", fontsize=10)
    return image, quiver


animation = FuncAnimation(fig, show, frames=frames, interval=150)
plt.show()
