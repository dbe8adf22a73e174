"""The filters a C4 G-CNN applies: rotated copies, and for group convolutions also a roll."""
import matplotlib.pyplot as plt
import torch

from gcnn.groups import CyclicGroup
from gcnn.nn import GroupConv2d, LiftingConv2d

torch.manual_seed(0)
group = CyclicGroup(4)
lifting = LiftingConv2d(group, in_channels=1, out_channels=1, kernel_size=5)
gconv = GroupConv2d(group, in_channels=1, out_channels=1, kernel_size=5)
lifted = lifting.kernel_stack()[0, :, 0].detach()  # (|G|, 5, 5): one kernel per rotation h
stack = gconv.kernel_stack()[0, :, 0].detach()     # (|G| out, |G| in, 5, 5)

# the kernel for group index h = the kernel for h = 0, rotated by h in space and rolled by h along h~
for h in group.elements():
    expected = torch.roll(group.act_on_image(h, stack[0]), shifts=h, dims=0)
    print(f"h = {h}: max |k_h - roll_h(rot_h(k_0))| = {(stack[h] - expected).abs().max():.1e}")
print(f"learned weights: lifting {lifting.weight.numel()}, group conv {gconv.weight.numel()}; "
      f"filter values applied: {lifted.numel()} and {stack.numel()}")

fig, axes = plt.subplots(5, 4, figsize=(6.4, 8.6), layout="constrained")
for h in group.elements():
    scale = lifted.abs().max()
    axes[0, h].imshow(lifted[h], cmap="RdBu_r", vmin=-scale, vmax=scale, interpolation="nearest")
    axes[0, h].set_title(f"lifting, h = {h}", fontsize=10)
    for source in group.elements():
        scale = stack.abs().max()
        axes[1 + h, source].imshow(stack[h, source], cmap="RdBu_r", vmin=-scale, vmax=scale, interpolation="nearest")
        axes[1 + h, source].set_title(f"h = {h}, h̃ = {source}", fontsize=10)
for ax in axes.flat:
    ax.set_axis_off()
fig.suptitle("top: lifting kernels; rows below: group-conv kernel for output index h,\n"
             "one panel per input index h̃ (each row is the first row rotated and rolled)", fontsize=10)
plt.show()
