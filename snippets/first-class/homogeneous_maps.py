"""Every equivariant linear map between functions on homogeneous spaces is a group convolution with a
constrained kernel, checked on G = Z₃² ⋊ C₄ (translations of a 3 × 3 torus and quarter turns): the plane
G/C₄ and the group itself. All equivariant maps are the null space of A P_X(g) = P_Y(g) A for the generators."""
import torch

from gcnn.groups import CyclicGroup

torch.manual_seed(0)
n, C4 = 3, CyclicGroup(4)
G = [(a, b, q) for a in range(n) for b in range(n) for q in range(4)]  # (translation, rotation R^q)


def turn(q, a, b):  # R^q (a, b) mod n, with R^q the 2 × 2 matrix of the quarter turn q
    x = C4.matrix(q) @ torch.tensor([a, b], dtype=torch.float64)
    return int(x[0].round()) % n, int(x[1].round()) % n


def mul(g, h):  # (t, q)(t', q') = (t + R^q t', q q')
    a, b = turn(g[2], h[0], h[1])
    return (g[0] + a) % n, (g[1] + b) % n, C4.product(g[2], h[2])


def inv(g):  # (t, q)⁻¹ = (−R^{−q} t, q⁻¹)
    a, b = turn(C4.inverse(g[2]), -g[0], -g[1])
    return a, b, C4.inverse(g[2])


spaces = {"plane": ([(a, b, 0) for a in range(n) for b in range(n)], lambda g, x: mul(g, x)[:2] + (0,)),
          "group": (G, mul)}  # points and action; the plane's point (a, b) is the coset of (a, b, 0)
generators = [(1, 0, 0), (0, 0, 1)]  # a unit shift and the quarter turn generate G

for (nx, (X, act_x)), (ny, (Y, act_y)) in [(a, b) for a in spaces.items() for b in spaces.items()]:
    def perm(points, act, g):  # [P(g) f](x) = f(g⁻¹x)
        P = torch.zeros(len(points), len(points), dtype=torch.float64)
        for i, x in enumerate(points):
            P[i, points.index(act(inv(g), x))] = 1
        return P
    I_x, I_y = torch.eye(len(X), dtype=torch.float64), torch.eye(len(Y), dtype=torch.float64)
    rows = [torch.kron(I_y, perm(X, act_x, g).T.contiguous()) - torch.kron(perm(Y, act_y, g), I_x) for g in generators]
    s = torch.linalg.svdvals(torch.cat(rows))  # vec(A) in the null space ⇔ A is equivariant
    equivariant = int((s < 1e-9).sum()) + len(X) * len(Y) - len(s)
    # group convolutions (Φf)(y) = Σ_x k(g_y⁻¹ x) f(x), k constant on the orbits of the stabiliser K of y₀
    K = [g for g in G if act_y(g, Y[0]) == Y[0]]
    orbits = {frozenset(act_x(h, x) for h in K) for x in X}
    lift_y = {y: next(g for g in G if act_y(g, Y[0]) == y) for y in Y}  # any g_y with g_y y₀ = y
    convs = torch.stack([torch.tensor([[float(act_x(inv(lift_y[y]), x) in orbit) for x in X] for y in Y],
                                      dtype=torch.float64).flatten() for orbit in orbits])
    residual = (torch.cat(rows) @ convs.T).abs().max().item()  # every convolution is equivariant
    rank = torch.linalg.matrix_rank(convs).item()
    print(f"{nx} → {ny}: {equivariant} equivariant maps, {len(orbits)} kernels on K-orbits "
          f"(|K| = {len(K)}), convolutions span {rank}, commutation residual {residual:.0e}")
