"""A convolution commutes with shifts of its input, but not with rotations."""
import matplotlib.pyplot as plt
import torch

from gcnn.groups import CyclicGroup

torch.manual_seed(0)
image = torch.zeros(1, 1, 21, 21)  # a letter "F": no rotation maps it to itself
image[..., 4:17, 6:9] = 1.0
image[..., 4:7, 9:15] = 1.0
image[..., 9:12, 9:13] = 1.0

conv = torch.nn.Conv2d(1, 1, 3, padding=1, padding_mode="circular", bias=False)
shift = lambda t: torch.roll(t, shifts=(3, 5), dims=(-2, -1))
rotate = lambda t: CyclicGroup(4).act_on_image(1, t)  # 90° counter-clockwise

with torch.no_grad():
    features = conv(image)
    shifted_features = conv(shift(image))
    rotated_features = conv(rotate(image))

    zero_padded = torch.nn.functional.conv2d(image, conv.weight, padding=1)  # the usual padding
    across = lambda t: torch.roll(t, shifts=10, dims=-1)  # a shift that carries the letter over the edge
    border_gap = (torch.nn.functional.conv2d(across(image), conv.weight, padding=1) - across(zero_padded)).abs()
    border_gap = border_gap / zero_padded.abs().max()

shift_error = (shifted_features - shift(features)).abs().max()
rotation_gap = rotated_features - rotate(features)
rotation_error = rotation_gap.abs().max() / features.abs().max()
print(f"shift error: {shift_error:.1e}")
print(f"zero padding interior error: {border_gap[..., 1:-1].abs().max():.1e}")
print(f"zero padding edge error: {border_gap.max():.2f}")
print(f"rotation error: {rotation_error:.2f}")

inputs = dict(cmap="viridis", interpolation="nearest")
scale = features.abs().max()
maps = dict(cmap="RdBu_r", vmin=-scale, vmax=scale, interpolation="nearest")
panels = [
    [(image, "input x", inputs), (shift(image), "shifted x", inputs),
     (features, "conv(x)", maps), (shifted_features, "conv(shifted x)", maps)],
    [(rotate(image), "rotated x", inputs), (rotated_features, "conv(rotated x)", maps),
     (rotate(features), "rotated conv(x)", maps), (rotation_gap, "difference", maps)],
]
fig, axes = plt.subplots(2, 4, figsize=(10, 5.4), layout="constrained")
for row, row_panels in zip(axes, panels):
    for ax, (tensor, title, style) in zip(row, row_panels):
        ax.imshow(tensor[0, 0], **style)
        ax.set_title(title)
        ax.set_axis_off()
fig.suptitle("Shifting commutes with convolution; rotating does not")
plt.show()
