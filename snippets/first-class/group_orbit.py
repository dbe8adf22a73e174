"""The orbit of a digit under D4: the eight images the group makes out of it."""
import matplotlib.pyplot as plt
import torch

from gcnn.data import load_rotated_digits
from gcnn.groups import DihedralGroup

torch.manual_seed(0)
digits = load_rotated_digits()
digit = digits.train_images[digits.train_labels == 7][0, 0]  # a 7 has no symmetry of its own
group = DihedralGroup(4)


def name(g):
    """Elements 0..3 are the rotations r^k; 4..7 are r^k s, s the left-right mirror (x1, x2) -> (-x1, x2)."""
    k = g % 4
    if g < 4:
        return f"r^{k}" if k else "e"
    return f"r^{k} s" if k else "s"


orbit = torch.stack([group.act_on_image(g, digit) for g in group.elements()])
distinct = len({tuple(image.flatten().tolist()) for image in orbit})
print(f"|D4| = {group.order}; the orbit of this digit has {distinct} distinct images")
worst = max((group.act_on_image(group.inverse(g), orbit[g]) - digit).abs().max().item()
            for g in group.elements())
print(f"max |g^-1 . (g . digit) - digit| over the group: {worst:.1e}")

fig, axes = plt.subplots(2, 4, figsize=(8, 4.4), layout="constrained")
for g, ax in zip(group.elements(), axes.flat):
    ax.imshow(orbit[g], cmap="gray_r", interpolation="nearest")
    ax.set_title(f"${name(g)}$")
    ax.set_axis_off()
fig.suptitle("top: rotations $r^k$ by $k\\cdot 90°$; bottom: reflections $r^k s$")
plt.show()
