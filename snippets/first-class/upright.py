"""Protocol A, "trained upright, tested rotated": a CNN and C4-, D4- and C8-G-CNNs of about 100k parameters
each on 3,500 real MNIST digits; learning rate chosen on the upright validation digits, 3 seeds."""
import matplotlib.pyplot as plt
import torch

from gcnn.data import load_mnist
from gcnn.experiments import format_mean_std, study
from gcnn.groups import CyclicGroup, DihedralGroup, rotate_image
from gcnn.models import GCNNClassifier, count_flops, count_parameters, match_parameters
from gcnn.training import accuracy, predict
from gcnn.viz import plot_accuracy_vs_angle

torch.manual_seed(0)  # the reference below; study() seeds every training itself
torch.set_num_threads(1)  # summation order, hence every printed digit, does not depend on the machine
digits = load_mnist(train=3500, validation=500, test=1000, seed=0)
reference = GCNNClassifier(CyclicGroup(4), channels=(16, 16, 32, 64), kernel_size=3)
builds = {"CNN": lambda: match_parameters(reference),
          "C4": lambda: GCNNClassifier(CyclicGroup(4), channels=(16, 16, 32, 64), kernel_size=3),
          "D4": lambda: match_parameters(reference, DihedralGroup(4)),
          "C8": lambda: match_parameters(reference, CyclicGroup(8))}
recipe = dict(epochs=12, batch_size=64, schedule="cosine")  # Adam, batch norm in every model
angles = list(range(0, 361, 15))
six_nine = (digits.test_labels == 6) | (digits.test_labels == 9)
blurred = {t: rotate_image(rotate_image(digits.test_images, t * torch.pi / 180), -t * torch.pi / 180)
           for t in (15, 30, 45)}  # turned by t and back: upright again, but resampled twice

print(f"{'model':5s} {'channels':>17s} {'parameters':>10s} {'MMACs':>6s} {'lr':>6s} {'upright':>13s} {'rotated':>13s}")
rotated, curves, lines = {}, {}, []
for name, build in builds.items():
    s = study(name, build, digits, rates=(1e-3, 3e-3, 1e-2), seeds=(0, 1, 2), **recipe)
    models = [run.model for run in s.runs]
    score = lambda images, labels=digits.test_labels: format_mean_std([accuracy(m, images, labels) for m in models])
    rotated[name] = [accuracy(m, digits.test_rotated_images, digits.test_labels) for m in models]
    curves[name] = [[accuracy(m, digits.test_at(a), digits.test_labels) for a in angles] for m in models]
    print(f"{name:5s} {str(models[0].channels):>17s} {count_parameters(models[0]):10,d} "
          f"{count_flops(models[0]) / 1e6:6.1f} {s.lr:6.0e} {score(digits.test_images):>13s} "
          f"{format_mean_std(rotated[name]):>13s}")
    lines += [f"{name} upright: {score(digits.test_images)}", f"{name} rotated: {format_mean_std(rotated[name])}",
              f"{name} lr: {s.lr:.0e}; validation (seed 0) " + ", ".join(f"{lr:.0e}: {a:.1%}" for lr, a in
                                                                     s.validation.items()),
              f"{name} at 15 and 45: {format_mean_std([c[1] for c in curves[name]])}, "
              f"{format_mean_std([c[3] for c in curves[name]])}",
              f"{name} upright 6 and 9: {score(digits.test_images[six_nine], digits.test_labels[six_nine])}",
              *(f"{name} resampled {t}: {score(images)}" for t, images in blurred.items())]
    if name != "CNN":  # exact invariance: at quarter turns every seed predicts what it predicts upright
        same = all(torch.equal(predict(m, digits.test_at(a)), predict(m, digits.test_images))
                   for m in models for a in (90, 180, 270))
        lines.append(f"{name} same at 90/180/270: {'every test digit, every seed' if same else 'no'}")
print(f"\n{len(digits.train_labels):,d} upright training digits, {len(digits.validation_labels)} validation "
      f"digits, {len(digits.test_labels)} test digits; mean ± std over seeds 0, 1, 2", *lines, sep="\n")
print(f"C4 gain: {format_mean_std([a - b for a, b in zip(rotated['C4'], rotated['CNN'])])[:-2]} points")

fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
plot_accuracy_vs_angle(ax, angles, curves)
ax.set_title("Trained upright, tested rotated: mean of 3 seeds, band ± 1 std (solid lines: 90° steps)")
plt.show()
