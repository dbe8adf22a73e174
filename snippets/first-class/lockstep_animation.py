"""Animation: a digit moved by integer shifts and quarter turns; lifting and group-conv maps move in lockstep."""
import math

import matplotlib.pyplot as plt
import torch
from matplotlib.animation import FuncAnimation

from gcnn.data import load_rotated_digits
from gcnn.groups import CyclicGroup
from gcnn.nn import GroupConv2d, LiftingConv2d

torch.manual_seed(0)
group = CyclicGroup(4)
lifting, gconv = LiftingConv2d(group, 1, 1, kernel_size=5), GroupConv2d(group, 1, 1, kernel_size=5)
cnn = torch.nn.Conv2d(1, 1, kernel_size=5)
cnn.load_state_dict(lifting.state_dict())  # the CNN uses the lifting layer's unrotated kernel
digit = torch.nn.functional.pad(load_rotated_digits().train_images[:1], (8, 8, 8, 8))  # 45 x 45: room to move
frames = 32
moves = [(round(4 * math.cos(2 * math.pi * k / frames)), round(4 * math.sin(2 * math.pi * k / frames)), k // 8)
         for k in range(frames)]  # (shift right, shift up, quarter turns): elements of Z² ⋊ C4


def act(x, dx, dy, r, on_group=False):  # rotate by r quarter turns (and shift h), then shift by (dx, dy)
    x = group.act_on_group_signal(r, x) if on_group else group.act_on_image(r, x)
    return torch.roll(x, (-dy, dx), dims=(-2, -1))  # rows run downwards


def layers(x):  # the ten panels: input, lifting h = 0…3, CNN, group conv h = 0…3
    lifted = lifting(x)
    return [x[0, 0], *lifted[0, 0], cnn(x)[0, 0], *gconv(torch.relu(lifted))[0, 0]]


with torch.no_grad():
    maps, first = [layers(act(digit, *move)) for move in moves], layers(digit)
worst = max((torch.stack(m[a:a + 4]) - act(torch.stack(first[a:a + 4]), *move, on_group=True)).abs().max().item()
            for m, move in zip(maps, moves) for a in (1, 6))
print(f"{frames} frames g = (t, h); equivariance error = max |layer(g·x) - g·layer(x)|, lifting and group conv")
print(f"largest equivariance error over the frames: {worst:.1e}")

fig, axes = plt.subplots(2, 5, figsize=(8.2, 3.8), layout="constrained")
titles = ["input g·x", *[f"lifting, h = {h}" for h in range(4)], "CNN", *[f"group conv, h = {h}" for h in range(4)]]
images = []
for ax, title, picture, scale in zip(axes.flat, titles, maps[0], [m.abs().max().item() for m in first]):
    cmap, vmin = ("gray_r", 0) if title.startswith("input") else ("RdBu_r", -scale)
    images.append(ax.imshow(picture, cmap=cmap, vmin=vmin, vmax=scale, interpolation="nearest"))
    ax.set_title(title, fontsize=10)
    ax.set(xticks=[], yticks=[])
    ax.spines[:].set_visible(True)  # a full frame: the shifts are visible against it


def show(k):
    for image, picture in zip(images, maps[k]):
        image.set_data(picture)
    shift = ", ".join(f"{n:+d}" if n else "0" for n in moves[k][:2])  # no sign on 0
    fig.suptitle(f"g = (shift ({shift}), rotation {90 * moves[k][2]}°)", fontsize=11)
    return images


animation = FuncAnimation(fig, show, frames=frames, interval=200)
plt.show()
