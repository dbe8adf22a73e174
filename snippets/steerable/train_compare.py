"""Train a CNN, a C4 G-CNN and an SO(2)-steerable CNN of about the same size on upright
digits, then test them on digits rotated by every angle."""
import matplotlib.pyplot as plt
import torch

from gcnn.data import load_rotated_digits
from gcnn.groups import SO2, CyclicGroup
from gcnn.models import SteerableClassifier, count_parameters, match_parameters
from gcnn.training import accuracy, accuracy_vs_angle, fit
from gcnn.viz import plot_accuracy_vs_angle

torch.manual_seed(0)
torch.set_num_threads(1)  # summation order, hence every printed digit, does not depend on the machine
digits = load_rotated_digits(size=29, seed=0)
so2 = SteerableClassifier(SO2(), max_frequency=3)  # 3 blocks of 4, 8, 8 fields, 5×5 kernels
# the CNN and the C4-G-CNN get the steerable model's 3 blocks of 5×5 kernels, widths scaled to its parameter count
models = {"CNN": match_parameters(so2), "C4-G-CNN": match_parameters(so2, CyclicGroup(4)), "SO2-steerable": so2}
rates = {"CNN": 3e-3, "C4-G-CNN": 3e-3, "SO2-steerable": 1e-2}  # batch norm (CNN, G-CNN) is noisy at 1e-2
angles = list(range(0, 361, 5))

print(f"{'model':13s} {'channels':>10s} {'parameters':>10s} {'upright':>8s} {'rotated':>8s}")
curves, rotated = {}, {}
for name, model in models.items():
    history = fit(model, digits.train_images, digits.train_labels, epochs=10, batch_size=64, lr=rates[name], seed=0,
                  eval_images=digits.test_images, eval_labels=digits.test_labels)
    curves[name] = accuracy_vs_angle(model, digits, angles)
    rotated[name] = accuracy(model, digits.test_rotated_images, digits.test_labels)
    print(f"{name:13s} {str(model.channels):>10s} {count_parameters(model):10,d} "
          f"{history.eval_accuracy[-1]:8.1%} {rotated[name]:8.1%}")
print(f"\ntraining digits: {len(digits.train_labels)} upright; test digits: {len(digits.test_labels)}")
for name in models:
    print(f"{name.split('-')[0]} rotated: {rotated[name]:.1%}")
print(f"SO2 at 45: {curves['SO2-steerable'][angles.index(45)]:.1%}")

fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
plot_accuracy_vs_angle(ax, angles, curves)
ax.set_title("Trained upright, tested rotated (solid lines: 90° steps)")
plt.show()
