"""The filters a C4 G-CNN actually applies: rotated copies, and for group convolutions a roll."""
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

# row h of the group-conv stack = row 0 rotated by h in space and rolled by h along the group axis
for h in group.elements():
    expected = torch.roll(group.act_on_image(h, stack[0]), shifts=h, dims=0)
    print(f"h = {h}: max |k_h - roll_h(rot_h(k_0))| = {(stack[h] - expected).abs().max():.1e}")
print(f"learned weights: lifting {lifting.weight.numel()}, group conv {gconv.weight.numel()}; "
      f"filter values applied: {lifted.numel()} and {stack.numel()}")

fig, axes = plt.subplots(5, 4, figsize=(6.4, 8.4), layout="constrained")
scale = max(lifted.abs().max(), stack.abs().max())
style = dict(cmap="RdBu_r", vmin=-scale, vmax=scale, interpolation="nearest")
for h in group.elements():
    axes[0, h].imshow(lifted[h], **style)
    axes[0, h].set_title(f"lifting, h = {h}")
    for source in group.elements():
        axes[1 + h, source].imshow(stack[h, source], **style)
        axes[1 + h, source].set_title(f"out h={h}, in h̃={source}", fontsize=8)
for ax in axes.flat:
    ax.set_axis_off()
fig.suptitle("top: lifting kernels; below: group-conv kernel for each output h (rows) and input h̃ (columns)")
plt.show()
