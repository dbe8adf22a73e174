"""The five digit classifiers of protocol A side by side: widths, parameters and the multiply-adds of
one forward pass on a 29×29 digit (built exactly as in first-class/upright.py and steerable/train_compare.py)."""
import torch

from gcnn.groups import SO2, CyclicGroup, DihedralGroup
from gcnn.models import GCNNClassifier, SteerableClassifier, count_flops, count_parameters, match_parameters

torch.manual_seed(0)  # the weights are random; only their number is printed
reference = GCNNClassifier(CyclicGroup(4), channels=(16, 16, 32, 64), kernel_size=3)
models = {
    "CNN": match_parameters(reference),
    "C4": reference,
    "D4": match_parameters(reference, DihedralGroup(4)),
    "C8": match_parameters(reference, CyclicGroup(8)),
    "SO2": SteerableClassifier(SO2(), channels=(8, 16, 16, 32), kernel_size=5, max_frequency=3),
}
print(f"{'model':5s} {'fields per block':>20s} {'numbers per field':>18s} {'parameters':>10s} {'MMACs':>6s}")
for name, model in models.items():
    per_channel = {"CNN": 1, "SO2": 7}.get(name) or model.group.order  # |G| for a regular G-CNN
    print(f"{name:5s} {str(model.channels):>20s} {per_channel:18d} {count_parameters(model):10,d} "
          f"{count_flops(model) / 1e6:6.1f}")
for name, model in models.items():
    print(f"{name} parameters: {count_parameters(model):,d}")
    print(f"{name} MMACs: {count_flops(model) / 1e6:.1f}")
