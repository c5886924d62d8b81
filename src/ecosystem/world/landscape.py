"""The map: a settlement pattern, council territories and the cells' property layers.

Households come from a settlement pattern (urban cores by rank-size, market towns, villages,
sparse land). Rurality follows density, so rural behaviour emerges from density and distance
rather than special rules (evidence.md section 0.3). Territories are an additively weighted
Voronoi partition around council seats, so each is contiguous (star-shaped around its seat).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ecosystem.scenario.groups import World

URBAN, TOWN, VILLAGE, SPARSE = 0, 1, 2, 3
SETTLEMENT_NAMES = ("urban", "town", "village", "sparse")
#: Settlement classes counted as rural in the urban/rural split of metrics.
RURAL_CLASSES = (VILLAGE, SPARSE)


#: Settlement centres by settlement class.
Centres = dict[int, list[tuple[float, float]]]


@dataclass(frozen=True)
class Landscape:
    """Arrays of shape (width, height) describing every cell, plus the council seats."""

    households: np.ndarray
    settlement: np.ndarray
    rurality: np.ndarray
    deprivation: np.ndarray
    community_capacity: np.ndarray
    broadband: np.ndarray
    council: np.ndarray
    seats: tuple[tuple[int, int], ...]
    #: Centres of the towns and villages: each is the heart of a parish (parish_devolution).
    parish_centres: tuple[tuple[float, float], ...] = ()

    @property
    def shape(self) -> tuple[int, int]:
        """(width, height) of the map."""
        return self.households.shape  # type: ignore[return-value]


def generate_landscape(world: World, rng: np.random.Generator) -> Landscape:
    """Draw a landscape for `world` using only `rng`."""
    shape = (world.width, world.height)
    xs, ys = np.meshgrid(np.arange(world.width), np.arange(world.height), indexing="ij")
    households, settlement, centres = _settlements(world, rng, xs, ys)
    density = np.log1p(households)
    rurality = 1.0 - density / max(density.max(), 1e-9)
    deprivation_z = _smooth_noise(shape, rng, sigma=4.0) + 0.8 * (settlement == URBAN)
    deprivation = _percentile(deprivation_z)
    rho = world.capacity_deprivation_correlation
    capacity_z = rho * _zscore(deprivation_z) + np.sqrt(1 - rho**2) * _zscore(
        _smooth_noise(shape, rng, sigma=3.0)
    )
    capacity = 0.2 + 0.6 * _percentile(capacity_z)
    broadband = np.clip(0.97 - 0.45 * rurality + rng.normal(0, 0.05, shape), 0.2, 1.0)
    seats = _seats(world, centres, rng)
    council = _territories(seats, xs, ys, households * (settlement == URBAN),
                           world.urban_council_share)
    return Landscape(
        households=households, settlement=settlement, rurality=rurality,
        deprivation=deprivation, community_capacity=capacity, broadband=broadband,
        council=council, seats=tuple(seats),
        parish_centres=tuple(centres[TOWN] + centres[VILLAGE]),
    )


def _settlements(world: World, rng: np.random.Generator, xs: np.ndarray,
                 ys: np.ndarray) -> tuple[np.ndarray, np.ndarray, Centres]:
    """Households per cell and each cell's settlement class; also the settlement centres."""
    w, h = world.width, world.height
    layers = np.zeros((4, w, h))
    centres: dict[int, list[tuple[float, float]]] = {URBAN: [], TOWN: [], VILLAGE: []}
    core_sizes = 1.0 / np.arange(1, world.urban_cores + 1)  # rank-size
    core_sizes /= core_sizes.sum()
    for k, size in enumerate(core_sizes):
        centre = (0.3 * w, 0.5 * h) if k == 0 else _satellite(centres[URBAN][0], w, h, rng)
        centre = (centre[0] + rng.normal(0, 1.5), centre[1] + rng.normal(0, 1.5))
        sigma = 1.2 + 2.2 * np.sqrt(size)
        layers[URBAN] += world.urban_share * world.households * size * _kernel(xs, ys, centre,
                                                                              sigma)
        centres[URBAN].append(centre)
    for kind, count, share, sigma in (
        (TOWN, world.towns, world.town_share, 1.0),
        (VILLAGE, world.villages, world.village_share, 0.35),
    ):
        sizes = rng.lognormal(0.0, 0.5, count)
        sizes /= max(sizes.sum(), 1e-12)
        for size in sizes:
            centre = _far_point(centres[URBAN] + centres[TOWN], w, h, rng, min_gap=4.0)
            layers[kind] += share * world.households * size * _kernel(xs, ys, centre, sigma)
            centres[kind].append(centre)
    sparse_share = 1.0 - world.urban_share - world.town_share - world.village_share
    spread = rng.gamma(2.0, 0.5, (w, h))
    layers[SPARSE] = sparse_share * world.households * spread / spread.sum()
    households = _integer_households(layers.sum(axis=0), world.households)
    settlement = layers.argmax(axis=0).astype(np.int8)
    return households, settlement, centres


def _kernel(xs: np.ndarray, ys: np.ndarray, centre: tuple[float, float],
            sigma: float) -> np.ndarray:
    k = np.exp(-((xs - centre[0]) ** 2 + (ys - centre[1]) ** 2) / (2 * sigma**2))
    return k / k.sum()


def _satellite(centre: tuple[float, float], w: int, h: int,
               rng: np.random.Generator) -> tuple[float, float]:
    """A point 6 to 10 cells from `centre`: secondary cores form a conurbation."""
    angle, radius = rng.uniform(0, 2 * np.pi), rng.uniform(6, 10)
    x = np.clip(centre[0] + radius * np.cos(angle), 1, w - 2)
    return float(x), float(np.clip(centre[1] + radius * np.sin(angle), 1, h - 2))


def _far_point(existing: list[tuple[float, float]], w: int, h: int, rng: np.random.Generator,
               min_gap: float = 8.0) -> tuple[float, float]:
    """A random point at least `min_gap` cells from existing points (best of 30 tries)."""
    best, best_gap = (float(w) / 2, float(h) / 2), -1.0
    for _ in range(30):
        p = (rng.uniform(1, w - 1), rng.uniform(1, h - 1))
        gap = min((np.hypot(p[0] - q[0], p[1] - q[1]) for q in existing), default=np.inf)
        if gap >= min_gap:
            return p
        if gap > best_gap:
            best, best_gap = p, gap
    return best


def _integer_households(expected: np.ndarray, total: int) -> np.ndarray:
    """Round expected households to integers that sum to `total` (largest remainders)."""
    scaled = expected * total / expected.sum()
    counts = np.floor(scaled).astype(np.int64)
    short = total - int(counts.sum())
    if short > 0:
        order = np.argsort(-(scaled - counts), axis=None, kind="stable")[:short]
        counts.flat[order] += 1
    return counts


def _smooth_noise(shape: tuple[int, int], rng: np.random.Generator, sigma: float) -> np.ndarray:
    """Gaussian-blurred white noise (FFT convolution on a torus)."""
    noise = rng.standard_normal(shape)
    fx = np.fft.fftfreq(shape[0])[:, None]
    fy = np.fft.fftfreq(shape[1])[None, :]
    transfer = np.exp(-2 * (np.pi * sigma) ** 2 * (fx**2 + fy**2))
    return np.real(np.fft.ifft2(np.fft.fft2(noise) * transfer))


def _zscore(a: np.ndarray) -> np.ndarray:
    return (a - a.mean()) / max(a.std(), 1e-12)


def _percentile(a: np.ndarray) -> np.ndarray:
    ranks = np.argsort(np.argsort(a, axis=None, kind="stable"), kind="stable")
    return (ranks.reshape(a.shape) + 0.5) / a.size


def _seats(world: World, centres: Centres,
           rng: np.random.Generator) -> list[tuple[int, int]]:
    """Council seats: the main urban core first, the rest spread over the map (Lloyd steps)."""
    seats = [centres[URBAN][0]]
    while len(seats) < world.councils:
        seats.append(_far_point(seats, world.width, world.height, rng, min_gap=10.0))
    cells = np.indices((world.width, world.height)).reshape(2, -1).T.astype(float)
    points = np.array(seats, dtype=float)
    for _ in range(15):
        nearest = distances(cells, points).argmin(axis=1)
        for k in range(1, len(points)):  # the urban seat stays on its core
            if np.any(nearest == k):
                points[k] = cells[nearest == k].mean(axis=0)
    return [(int(round(x)), int(round(y))) for x, y in points]


def _territories(seats: list[tuple[int, int]], xs: np.ndarray, ys: np.ndarray,
                 urban_households: np.ndarray, urban_share: float) -> np.ndarray:
    """Additively weighted Voronoi partition: each territory is star-shaped, so contiguous.

    The urban council's weight is the smallest that still gives it `urban_share` of the
    urban households, so it is compact and mostly urban and the others mostly rural.
    """
    dist = np.stack([np.hypot(xs - sx, ys - sy) for sx, sy in seats])
    if len(seats) == 1:
        return np.zeros(xs.shape, dtype=np.int16)
    target = urban_share * urban_households.sum()
    low, high = -60.0, 60.0  # bias added to the urban seat's distance
    for _ in range(30):
        bias = (low + high) / 2
        owned = (dist[0] + bias <= dist[1:].min(axis=0))
        if urban_households[owned].sum() >= target:
            low = bias
        else:
            high = bias
    dist[0] += low
    return dist.argmin(axis=0).astype(np.int16)


def distances(points_a: np.ndarray, points_b: np.ndarray) -> np.ndarray:
    """Euclidean distance matrix between two (n, 2) arrays of cell coordinates."""
    diff = points_a[:, None, :].astype(float) - points_b[None, :, :].astype(float)
    return np.hypot(diff[..., 0], diff[..., 1])
