"""The kernels a C4 lifting layer applies: every learned filter k, plus its
copies h·k rotated by 90°, 180° and 270°."""
import matplotlib.pyplot as plt
import torch

from gcnn.groups import CyclicGroup
from gcnn.nn import LiftingConv2d

torch.manual_seed(0)
C4 = CyclicGroup(4)
lifting = LiftingConv2d(C4, in_channels=1, out_channels=2, kernel_size=7)

with torch.no_grad():
    stack = lifting.kernel_stack()  # (C_out, |G|, C_in, 7, 7)
print("kernel stack shape:", tuple(stack.shape))

for h in C4.elements():
    error = (stack[:, h] - C4.act_on_image(h, stack[:, 0])).abs().max()
    print(f"h = {h}: max|k_h - rot_h(k_0)| = {error:.1e}")

parameters = sum(p.numel() for p in lifting.parameters())
filters = stack.shape[0] * stack.shape[1]
weights, biases = lifting.weight.numel(), lifting.bias.numel()
print(f"learned parameters: {parameters} ({weights} weights + {biases} biases)")
print(f"filters applied:    {filters} of size 7x7 ({stack.numel()} kernel values)")

scale = stack.abs().max()
fig, axes = plt.subplots(2, C4.order, figsize=(9, 4.8), layout="constrained")
for c in range(stack.shape[0]):
    for h in C4.elements():
        ax = axes[c, h]
        ax.imshow(stack[c, h, 0], cmap="RdBu_r", vmin=-scale, vmax=scale, interpolation="nearest")
        ax.set_title(f"channel {c}, h={h} ({90 * h}°)", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
fig.suptitle("Kernel stack: rows = output channels, columns = group elements")
plt.show()
