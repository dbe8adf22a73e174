"""Train a CNN, a C4- and a D4-G-CNN of about the same size on upright digits,
then test them on rotated digits."""
import matplotlib.pyplot as plt
import torch

from gcnn.data import load_rotated_digits
from gcnn.groups import CyclicGroup, DihedralGroup
from gcnn.models import GCNNClassifier, count_parameters, match_parameters
from gcnn.training import accuracy, accuracy_vs_angle, fit, predict
from gcnn.viz import plot_accuracy_vs_angle

torch.manual_seed(0)
torch.set_num_threads(1)  # summation order, hence every printed digit, does not depend on the machine
digits = load_rotated_digits(size=29, seed=0)
c4 = GCNNClassifier(CyclicGroup(4), channels=(16, 16, 32, 64), kernel_size=3)
models = {"CNN": match_parameters(c4), "C4-G-CNN": c4, "D4-G-CNN": match_parameters(c4, DihedralGroup(4))}
angles = list(range(0, 361, 5))

print(f"{'model':9s} {'parameters':>10s} {'upright':>8s} {'rotated':>8s} {'same at 90/180/270°':>20s}")
histories, curves, rotated = {}, {}, {}
for name, model in models.items():
    histories[name] = fit(model, digits.train_images, digits.train_labels, epochs=12, batch_size=64,
                          lr=3e-3, seed=0, eval_images=digits.test_images, eval_labels=digits.test_labels)
    curves[name] = accuracy_vs_angle(model, digits, angles)
    upright = predict(model, digits.test_images)
    same = torch.cat([predict(model, digits.test_at(a)) == upright for a in (90, 180, 270)])
    rotated[name] = accuracy(model, digits.test_rotated_images, digits.test_labels)
    print(f"{name:9s} {count_parameters(model):10,d} {histories[name].eval_accuracy[-1]:8.1%} "
          f"{rotated[name]:8.1%} {same.double().mean():20.1%}")
print(f"\ntraining digits: {len(digits.train_labels)} upright; test digits: {len(digits.test_labels)}")
for name in models:
    print(f"{name.split('-')[0]} rotated: {rotated[name]:.1%}")
print(f"gain: {100 * (rotated['C4-G-CNN'] - rotated['CNN']):+.1f} points")

fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
for name, history in histories.items():
    epochs = range(1, len(history.train_loss) + 1)
    loss_ax.plot(epochs, history.train_loss, marker="o", markersize=3, label=name)
    acc_ax.plot(epochs, [100 * a for a in history.eval_accuracy], marker="o", markersize=3, label=name)
loss_ax.set(xlabel="epoch", ylabel="training loss (cross-entropy)", yscale="log", title="Training loss")
acc_ax.set(xlabel="epoch", ylabel="accuracy (%)", ylim=(0, 100), title="Accuracy on upright test digits")
acc_ax.legend(loc="lower right")

fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
plot_accuracy_vs_angle(ax, angles, curves)
ax.set_title("Trained upright, tested rotated (solid lines: 90° steps)")
plt.show()
