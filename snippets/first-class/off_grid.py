"""Rotations by 90° permute pixels; rotations by 45° interpolate, and cannot be undone."""
import math

import matplotlib.pyplot as plt
import torch

from gcnn.data import load_rotated_digits
from gcnn.groups import rotate_image

torch.manual_seed(0)
digit = load_rotated_digits().train_images[0, 0].double()

rows = []
for degrees in (90, 45):
    angle = math.radians(degrees)
    turned = rotate_image(digit, angle)
    back = rotate_image(turned, -angle)
    error = (back - digit).abs().max().item()
    print(f"rotate by {degrees:2d}° and back: max pixel error {error:.1e}, "
          f"total ink {digit.sum():.2f} -> {turned.sum():.2f}")
    rows.append((degrees, turned, back, back - digit))

fig, axes = plt.subplots(2, 4, figsize=(9, 4.8), layout="constrained")
limit = max(diff.abs().max().item() for *_, diff in rows) or 1.0
for row, (degrees, turned, back, diff) in zip(axes, rows):
    row[0].imshow(digit, cmap="gray_r", interpolation="nearest")
    row[0].set_title("digit")
    row[1].imshow(turned, cmap="gray_r", interpolation="nearest")
    row[1].set_title(f"rotated by {degrees}°")
    row[2].imshow(back, cmap="gray_r", interpolation="nearest")
    row[2].set_title(f"rotated back by -{degrees}°")
    shown = row[3].imshow(diff, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    row[3].set_title("back - digit")
    fig.colorbar(shown, ax=row[3], shrink=0.8)
    for ax in row:
        ax.set_axis_off()
plt.show()
