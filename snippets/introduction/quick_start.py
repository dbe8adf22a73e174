"""Quick start: a lifting convolution, whose output turns with its input."""
import torch

from gcnn.groups import CyclicGroup
from gcnn.nn import LiftingConv2d

torch.manual_seed(0)
c4 = CyclicGroup(4)  # the rotations by 0°, 90°, 180° and 270°
layer = LiftingConv2d(c4, in_channels=1, out_channels=8, kernel_size=5)
image = torch.randn(1, 1, 29, 29)
with torch.no_grad():
    out = layer(image)  # (batch, channels, |C4|, height, width)
    out_turned = layer(c4.act_on_image(1, image))  # input turned by 90°
# expected: the output turned by 90° and shifted one step along the C4 axis
expected = c4.act_on_group_signal(1, out)
error = (out_turned - expected).abs().max() / out.abs().max()
print("output shape:", tuple(out.shape))
print(f"equivariance error: {error:.1e}")
