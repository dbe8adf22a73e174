"""Roto-translations compose as a semidirect product: (t, h)(t', h') = (t + R_h t', h h')."""
import matplotlib.pyplot as plt
import torch

from gcnn.groups import CyclicGroup

torch.manual_seed(0)
group = CyclicGroup(4)


def affine(t, h):
    """The 3x3 matrix of x -> R_h x + t."""
    m = torch.eye(3, dtype=torch.float64)
    m[:2, :2], m[:2, 2] = group.matrix(h), t
    return m


worst = 0.0
for h1 in group.elements():
    for h2 in group.elements():
        t1, t2 = torch.randn(2, dtype=torch.float64), torch.randn(2, dtype=torch.float64)
        product = affine(t1 + group.matrix(h1) @ t2, group.product(h1, h2))
        worst = max(worst, (affine(t1, h1) @ affine(t2, h2) - product).abs().max().item())
print(f"max |(t,h)(t',h') - (t + R_h t', hh')| over all h, h' in C4: {worst:.1e}")

# On an image: shift by t, then rotate by h  ==  rotate by h, then shift by R_h t.
image = torch.zeros(21, 21)
image[4:16, 6:9], image[4:7, 6:15], image[9:12, 6:13] = 1.0, 1.0, 1.0
t, h = torch.tensor([5.0, 2.0]), 1  # x right, y up


def shift(x, v):
    return torch.roll(x, (-int(v[1]), int(v[0])), dims=(0, 1))  # rows run downwards


rotated_vector = (group.matrix(h).float() @ t).round()  # a lattice vector again
left = group.act_on_image(h, shift(image, t))
right = shift(group.act_on_image(h, image), rotated_vector)
print(f"R_h t = {rotated_vector.tolist()}; max |rotate(shift(x)) - shift_(R_h t)(rotate(x))| = "
      f"{(left - right).abs().max():.1e}")

fig, axes = plt.subplots(1, 4, figsize=(10, 2.9), layout="constrained")
panels = [(image, "image"), (shift(image, t), f"shifted by t = {t.int().tolist()}"),
          (left, "then rotated by 90°"), (right, f"rotated, then shifted by {rotated_vector.int().tolist()}")]
for ax, (picture, title) in zip(axes, panels):
    ax.imshow(picture, cmap="gray_r", interpolation="nearest")
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])  # keep the frame: the shift is visible against it
plt.show()
