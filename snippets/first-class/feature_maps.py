"""Feature maps of a digit and of the digit rotated by 90°: CNN vs lifting vs group convolution."""
import matplotlib.pyplot as plt
import torch

from gcnn.data import load_rotated_digits
from gcnn.groups import CyclicGroup
from gcnn.nn import GroupConv2d, LiftingConv2d

torch.manual_seed(0)
group = CyclicGroup(4)
lifting = LiftingConv2d(group, 1, 1, kernel_size=5)
gconv = GroupConv2d(group, 1, 1, kernel_size=5)
cnn = torch.nn.Conv2d(1, 1, kernel_size=5)
cnn.load_state_dict(lifting.state_dict())  # the CNN uses the lifting layer's unrotated kernel

digit = load_rotated_digits().train_images[:1]  # (1, 1, 29, 29)
inputs = {"digit": digit, "rotated by 90°": group.act_on_image(1, digit)}
with torch.no_grad():
    maps = {key: (cnn(x)[0], lifting(x)[0, 0], gconv(torch.relu(lifting(x)))[0, 0]) for key, x in inputs.items()}


def relative(a, b):
    return ((a - b).abs().max() / b.abs().max()).item()


(c0, l0, g0), (c1, l1, g1) = maps.values()
print(f"CNN:        |conv(rot x) - rot(conv x)| / |conv x| = {relative(c1, group.act_on_image(1, c0)):.2f}")
print(f"lifting:    the same, output rotated AND shifted along h: {relative(l1, group.act_on_group_signal(1, l0)):.1e}")
print(f"group conv: the same, output rotated AND shifted along h: {relative(g1, group.act_on_group_signal(1, g0)):.1e}")
print(f"CNN map = lifting slice h = 0: {relative(c0[0], l0[0]):.1e}")

fig, axes = plt.subplots(2, 10, figsize=(13, 3.3), layout="constrained")
scales = [max(m[i].abs().max() for m in maps.values()) for i in range(3)]  # one colour scale per layer
for row, (key, x) in zip(axes, inputs.items()):
    panels = [(x[0, 0], key, "gray_r", None), (maps[key][0][0], "CNN", "RdBu_r", scales[0])]
    panels += [(maps[key][1][h], f"lifting h={h}", "RdBu_r", scales[1]) for h in group.elements()]
    panels += [(maps[key][2][h], f"group conv h={h}", "RdBu_r", scales[2]) for h in group.elements()]
    for ax, (image, title, cmap, scale) in zip(row, panels):
        limits = {} if scale is None else {"vmin": -scale, "vmax": scale}
        ax.imshow(image, cmap=cmap, interpolation="nearest", **limits)
        ax.set_title(title, fontsize=10)
        ax.set_axis_off()
plt.show()
