"""Protocol B, "what if I just augment?": a CNN shown every rotation, a C4-G-CNN shown only the
±45° it is not exactly invariant to, and both trained MNIST-rot style (each training digit rotated
once, at random); all tested on randomly rotated digits. Learning rate chosen on rotated
validation digits, 3 seeds."""
import torch

from gcnn.data import load_mnist, rotate_training_digits
from gcnn.experiments import format_mean_std, study
from gcnn.groups import CyclicGroup
from gcnn.models import GCNNClassifier, match_parameters
from gcnn.training import accuracy

torch.manual_seed(0)  # study() seeds every training itself
torch.set_num_threads(1)  # summation order, hence every printed digit, does not depend on the machine
digits = load_mnist(train=3500, validation=500, test=1000, seed=0)
turned_once = rotate_training_digits(digits, seed=1)  # each training digit turned once, at random
c4 = lambda: GCNNClassifier(CyclicGroup(4), channels=(16, 16, 32, 64), kernel_size=3)  # as in upright.py
cnn = lambda: match_parameters(c4())
setups = {  # name: (model, training digits, rotation augmentation in degrees: θ ~ U[-a, a] per draw)
    "CNN + every rotation": (cnn, digits, 180),
    "C4-G-CNN + ±45°": (c4, digits, 45),
    "CNN, MNIST-rot style": (cnn, turned_once, 0),
    "C4-G-CNN, MNIST-rot style": (c4, turned_once, 0),
}
recipe = dict(epochs=12, batch_size=64, schedule="cosine")

print(f"{'set-up':26s} {'lr':>6s} {'rotated test accuracy':>22s} {'error':>13s} {'upright':>13s}   "
      "validation accuracy at lr 1e-3, 3e-3, 1e-2 (seed 0)")
rotated = {}
for name, (build, data, rotate) in setups.items():
    s = study(name, build, data, rates=(1e-3, 3e-3, 1e-2), seeds=(0, 1, 2), select_on="rotated", rotate=rotate,
              **recipe)
    rotated[name] = [accuracy(r.model, digits.test_rotated_images, digits.test_labels) for r in s.runs]
    upright = [accuracy(r.model, digits.test_images, digits.test_labels) for r in s.runs]
    errors = [1 - a for a in rotated[name]]
    print(f"{name:26s} {s.lr:6.0e} {format_mean_std(rotated[name]):>22s} {format_mean_std(errors):>13s} "
          f"{format_mean_std(upright):>13s}   validation: " + ", ".join(f"{a:.1%}" for a in s.validation.values()))

print(f"\n{len(digits.train_labels):,d} training digits, {len(digits.test_labels)} rotated test digits; "
      f"mean ± std over seeds 0, 1, 2")
for name, accuracies in rotated.items():
    print(f"{name} error: {format_mean_std([1 - a for a in accuracies])}")
lead = [g - c for g, c in zip(rotated["C4-G-CNN + ±45°"], rotated["CNN + every rotation"])]
print(f"C4 + 45 lead over CNN + every rotation: {format_mean_std(lead).replace(' %', ' points')}")
