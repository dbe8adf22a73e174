"""One filter on a digit and on the digit turned by 90°: a CNN's map does not turn with it, a G-CNN's does."""
import matplotlib.pyplot as plt
import torch

from gcnn.data import load_rotated_digits
from gcnn.groups import CyclicGroup
from gcnn.nn import LiftingConv2d

torch.manual_seed(0)
c4 = CyclicGroup(4)  # element 1 is the rotation by 90° counter-clockwise
edge = torch.tensor([[0.5, 1.0, 0.5], [0.5, 1.0, 0.5], [-1.0, -2.0, -1.0]])  # bright above, dark below
cnn = torch.nn.Conv2d(1, 1, 3, padding=1, bias=False)
lifting = LiftingConv2d(c4, 1, 1, kernel_size=3, padding=1, bias=False)  # the filter in 4 orientations
digits = load_rotated_digits()
x = digits.train_images[digits.train_labels == 7][:1]  # (1, 1, 29, 29)
turned = c4.act_on_image(1, x)
with torch.no_grad():
    cnn.weight.copy_(edge.view(1, 1, 3, 3))
    lifting.weight.copy_(edge.view(1, 1, 3, 3))
    cnn_maps = cnn(x)[0, 0], cnn(turned)[0, 0]
    lifted = lifting(x)[0, 0], lifting(turned)[0, 0]  # (4, 29, 29): one map per orientation
cnn_back = c4.act_on_image(c4.inverse(1), cnn_maps[1])  # turn the map back by -90°
lifted_back = c4.act_on_group_signal(c4.inverse(1), lifted[1])  # turn back AND shift the orientations back
cnn_error = (cnn_back - cnn_maps[0]).abs().max() / cnn_maps[0].abs().max()
gcnn_error = (lifted_back - lifted[0]).abs().max() / lifted[0].abs().max()
print(f"CNN error: {cnn_error:.2f}")
print(f"G-CNN error: {gcnn_error:.1e}")


def tile(maps):
    """Four orientation maps in a 2×2 block, h = 0, 1, 2, 3 clockwise from the top left."""
    gap = torch.nn.functional.pad(maps, (0, 2, 0, 2), value=float("nan"))
    return torch.cat([torch.cat([gap[0], gap[1]], 1), torch.cat([gap[3], gap[2]], 1)], 0)


scale = max(cnn_maps[0].abs().max(), lifted[0].abs().max())
rows = {  # row → (label, the five panels); the first column holds the inputs, which both layers see
    "CNN": [x, cnn_maps[0], cnn_maps[1], cnn_back, cnn_back - cnn_maps[0]],
    "G-CNN (lifting)": [turned, tile(lifted[0]), tile(lifted[1]), tile(lifted_back), tile(lifted_back - lifted[0])],
}
titles = {"CNN": ["input: digit x", "map of x", "map of turned x", "that map, turned back", "difference"],
          "G-CNN (lifting)": ["input: x turned by 90°", "4 maps of x", "4 maps of turned x",
                              "those, turned + shifted along h", "difference"]}
fig, axes = plt.subplots(2, 5, figsize=(11, 4.8), layout="constrained")
for row, (model, panels) in zip(axes, rows.items()):
    row[0].set_ylabel(model, fontsize=12, fontweight="bold")
    for col, (ax, image) in enumerate(zip(row, panels)):
        if col == 0:
            ax.imshow(image[0, 0], cmap="gray_r")
        else:
            cmap = plt.get_cmap("RdBu_r").with_extremes(bad="white")
            ax.imshow(image, cmap=cmap, vmin=-scale, vmax=scale, interpolation="nearest")
        ax.set_title(titles[model][col], fontsize=9)
        ax.set(xticks=[], yticks=[])
        ax.spines[:].set_visible(False)
fig.suptitle("One filter on a digit x and on x turned by 90° (inputs, left column, fed to both rows);\n"
             "the G-CNN applies it in 4 orientations, h = 0, 1, 2, 3 clockwise from the top left of each 2×2 block")
plt.show()
