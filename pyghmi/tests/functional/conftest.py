"""Fixtures that start real peers on free loopback ports."""

import pytest

from pyghmi.tests.functional import peers


@pytest.fixture(scope='module')
def ipmisim():
    """A running ipmi_sim for the whole module, stopped afterwards."""
    sim = peers.IpmiSim().start()
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def fresh_ipmisim():
    """A running ipmi_sim of its own, for tests that restart it."""
    sim = peers.IpmiSim().start()
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture(scope='module')
def fakebmc():
    """A running bin/fakebmc with an operator and a user-level account."""
    bmc = peers.FakeBmcProcess(['--account', 'op:oppass:operator',
                                '--account', 'viewer:vpass:user']).start()
    try:
        yield bmc
    finally:
        bmc.stop()


@pytest.fixture
def fresh_fakebmc():
    """A bin/fakebmc of its own, for tests that change its state."""
    bmc = peers.FakeBmcProcess().start()
    try:
        yield bmc
    finally:
        bmc.stop()
