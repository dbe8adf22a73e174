"""Protocol A for an SO(2)-steerable CNN: the recipe, data, learning-rate grid and seeds of the regular
G-CNNs in snippets/first-class/upright.py, so that only the architecture differs."""
import matplotlib.pyplot as plt
import torch

from gcnn.data import load_mnist
from gcnn.experiments import format_mean_std, study
from gcnn.groups import SO2, rotate_image
from gcnn.models import SteerableClassifier, count_flops, count_parameters
from gcnn.training import accuracy
from gcnn.viz import plot_accuracy_vs_angle

torch.manual_seed(0)  # study() seeds every training itself
torch.set_num_threads(1)  # summation order, hence every printed digit, does not depend on the machine
digits = load_mnist(train=3500, validation=500, test=1000, seed=0)
# 4 blocks of Fourier fields up to frequency 3 (7 numbers per field), 5×5 kernels, FieldBatchNorm
build = lambda: SteerableClassifier(SO2(), channels=(8, 16, 16, 32), kernel_size=5, max_frequency=3)
recipe = dict(epochs=12, batch_size=64, schedule="cosine")  # as for the CNN and the regular G-CNNs
angles = list(range(0, 361, 15))

s = study("SO2-steerable", build, digits, rates=(1e-3, 3e-3, 1e-2), seeds=(0, 1, 2), **recipe)
model = s.runs[0].model
upright = [accuracy(r.model, digits.test_images, digits.test_labels) for r in s.runs]
rotated = [accuracy(r.model, digits.test_rotated_images, digits.test_labels) for r in s.runs]
curves = [[accuracy(r.model, digits.test_at(a), digits.test_labels) for a in angles] for r in s.runs]
blurred = rotate_image(rotate_image(digits.test_images, torch.pi / 4), -torch.pi / 4)  # 45° and back: resampled
resampled = [accuracy(r.model, blurred, digits.test_labels) for r in s.runs]
print("validation accuracy (seed 0) per learning rate: "
      + "  ".join(f"{lr:.0e}: {a:.1%}" for lr, a in s.validation.items()))
print(f"SO2 channels: {model.channels} fields of 7")
print(f"SO2 parameters: {count_parameters(model):,d}")
print(f"SO2 MMACs: {count_flops(model) / 1e6:.1f}")
print(f"SO2 lr: {s.lr:.0e}")
print(f"SO2 upright: {format_mean_std(upright)}")
print(f"SO2 rotated: {format_mean_std(rotated)}")
print(f"SO2 at 15 and 45: {format_mean_std([c[1] for c in curves])}, {format_mean_std([c[3] for c in curves])}")
print(f"SO2 resampled 45: {format_mean_std(resampled)}")
print(f"test digits: {len(digits.test_labels)}; mean ± std over seeds 0, 1, 2")

fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
plot_accuracy_vs_angle(ax, angles, {"SO2-steerable": curves})
ax.set_title("SO(2)-steerable CNN, trained upright: mean of 3 seeds, band ± 1 std")
plt.show()
