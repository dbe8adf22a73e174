"""Numbers for the exercises of the introduction: strided convolutions and shifts (exercise 3),
and the filters that commute with quarter turns and mirrors (exercise 4)."""
import torch

from gcnn.groups import CyclicGroup, DihedralGroup

torch.manual_seed(0)

# Exercise 3: a stride-2 convolution with circular padding, periodic 8×8 image -> 4×4 feature map
image = torch.randn(1, 1, 8, 8, dtype=torch.float64)
weight = torch.randn(1, 1, 3, 3, dtype=torch.float64)


def strided(f):
    return torch.nn.functional.conv2d(torch.nn.functional.pad(f, (1, 1, 1, 1), mode="circular"), weight, stride=2)


output = strided(image)
for shift in [(2, 0), (1, 0)]:
    moved = strided(torch.roll(image, shift, dims=(-2, -1)))
    # the best that any shift of the 4×4 output can do, relative to the largest output value
    best = min((moved - torch.roll(output, (a, b), dims=(-2, -1))).abs().max().item()
               for a in range(4) for b in range(4)) / output.abs().max().item()
    print(f"exercise 3: input shift {shift}, smallest relative error over all output shifts: {best:.1e}")


def invariant_filters(group, size):
    """dim {k : L_h k = k for all h}: the rank of the group average of L_h on size×size filters."""
    unit = torch.eye(size * size, dtype=torch.float64).reshape(-1, size, size)
    average = sum(group.act_on_image(h, unit).reshape(size * size, -1) for h in group.elements()) / group.order
    return int(torch.linalg.matrix_rank(average, atol=1e-9, rtol=0.0))


for size in (3, 5, 7):
    m = size // 2
    print(f"exercise 4: C4-invariant {size}x{size} filters: {invariant_filters(CyclicGroup(4), size)}")
    print(f"exercise 4: formula 1 + m(m+1) for {size}x{size}: {1 + m * (m + 1)}")
    print(f"exercise 4: D4-invariant {size}x{size} filters: {invariant_filters(DihedralGroup(4), size)}")
    print(f"exercise 4: formula (m+1)(m+2)/2 for {size}x{size}: {(m + 1) * (m + 2) // 2}")
