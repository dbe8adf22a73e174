"""Feature maps of a digit and of the digit rotated by 90°: CNN vs lifting vs group convolution."""
import matplotlib.pyplot as plt
import torch

from gcnn.data import load_rotated_digits
from gcnn.groups import CyclicGroup
from gcnn.nn import GroupConv2d, LiftingConv2d

torch.manual_seed(0)
group = CyclicGroup(4)
cnn = torch.nn.Conv2d(1, 1, kernel_size=5)
lifting = LiftingConv2d(group, 1, 4, kernel_size=5)
gconv = GroupConv2d(group, 4, 1, kernel_size=5)

digit = load_rotated_digits().train_images[:1]  # (1, 1, 29, 29)
inputs = {"digit": digit, "digit rotated by 90°": group.act_on_image(1, digit)}
with torch.no_grad():
    maps = {key: (cnn(x)[0, 0], lifting(x)[0, 0], gconv(torch.relu(lifting(x)))[0, 0])
            for key, x in inputs.items()}

(c0, l0, g0), (c1, l1, g1) = maps.values()


def relative(a, b):
    return ((a - b).abs().max() / b.abs().max()).item()


print(f"CNN:        rotated input vs rotated output, relative error {relative(c1, group.act_on_image(1, c0)):.2f}")
print(f"lifting:    ... vs rotated AND shifted output {relative(l1, group.act_on_group_signal(1, l0[None])[0]):.1e}")
print(f"group conv: ... vs rotated AND shifted output {relative(g1, group.act_on_group_signal(1, g0[None])[0]):.1e}")

fig, axes = plt.subplots(2, 10, figsize=(15, 3.4), layout="constrained")
for row, (key, x) in zip(axes, inputs.items()):
    cnn_map, lifted, grouped = maps[key]
    panels = [(x[0, 0], key, "gray_r"), (cnn_map, "CNN", "RdBu_r")]
    panels += [(lifted[h], f"lifting h={h}", "RdBu_r") for h in group.elements()]
    panels += [(grouped[h], f"group conv h={h}", "RdBu_r") for h in group.elements()]
    for ax, (image, title, cmap) in zip(row, panels):
        ax.imshow(image, cmap=cmap, interpolation="nearest")
        ax.set_title(title, fontsize=9)
        ax.set_axis_off()
fig.suptitle("bottom row: the CNN map changes; the G-CNN maps rotate and move one step along h")
plt.show()
