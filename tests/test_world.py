import numpy as np
import pytest
from scipy import ndimage

from ecosystem.scenario.groups import World
from ecosystem.world.landscape import SPARSE, URBAN, generate_landscape


@pytest.mark.parametrize("seed", range(6))
def test_territories_are_contiguous_and_households_add_up(seed):
    world = World()
    land = generate_landscape(world, np.random.default_rng(seed))
    assert land.households.sum() == world.households
    assert land.households.min() >= 0
    for council in range(world.councils):
        _, parts = ndimage.label(land.council == council, structure=np.ones((3, 3)))
        assert parts == 1


def test_first_council_mostly_urban_others_mostly_rural():
    shares = []
    for seed in range(8):
        land = generate_landscape(World(), np.random.default_rng(seed))
        for c in range(3):
            hh = land.households[land.council == c]
            urban = land.households[(land.council == c) & (land.settlement == URBAN)]
            shares.append((c, urban.sum() / hh.sum()))
    assert np.mean([s for c, s in shares if c == 0]) > 0.75
    assert np.mean([s for c, s in shares if c > 0]) < 0.35


def test_sparse_cells_are_more_rural_with_less_broadband():
    land = generate_landscape(World(), np.random.default_rng(3))
    sparse = land.settlement == SPARSE
    assert land.rurality[sparse].mean() > land.rurality[~sparse].mean()
    assert land.broadband[sparse].mean() < land.broadband[~sparse].mean()


def test_same_rng_same_world_different_rng_different_world():
    a = generate_landscape(World(), np.random.default_rng(5))
    b = generate_landscape(World(), np.random.default_rng(5))
    c = generate_landscape(World(), np.random.default_rng(6))
    assert np.array_equal(a.households, b.households)
    assert not np.array_equal(a.households, c.households)
