"""The command registry (``constants.COMMANDS``) is the one place command
numbers, names, privileges and completion codes live.

Every command number the package names (``CMD_*``) is written once, in
``constants``, and names a registry entry; every dispatch table of the
BMC side (``Bmc``, fakebmc, the server core's session commands) and the
privilege and completion code tables are keyed by registry entries.
"""

import ast
import os
import re

import pyghmi
from pyghmi.fakebmc import machine
from pyghmi.ipmi import bmc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.server import core

ROOT = os.path.dirname(os.path.abspath(pyghmi.__file__))
# Constant names shorter than the specification's command names.
SHORT_NAMES = {
    'GET_BOOT_OPTIONS': 'Get System Boot Options',
    'SET_BOOT_OPTIONS': 'Set System Boot Options',
    'GET_CHANNEL_AUTH_CAPABILITIES':
        'Get Channel Authentication Capabilities',
    'GET_FRU_AREA_INFO': 'Get FRU Inventory Area Info',
    'PLATFORM_EVENT': 'Platform Event Message',
    'RESERVE_DEVICE_SDR': 'Reserve Device SDR Repository',
    'SET_SESSION_PRIVILEGE': 'Set Session Privilege Level',
    'SET_PEF_CONFIG': 'Set PEF Configuration Parameters',
    'GET_PEF_CONFIG': 'Get PEF Configuration Parameters',
    'SET_LAN_CONFIG': 'Set LAN Configuration Parameters',
    'GET_LAN_CONFIG': 'Get LAN Configuration Parameters',
}


def _key(name):
    return re.sub('[^a-z0-9]+', '_', name.lower()).strip('_')


def test_every_command_constant_names_a_registry_entry():
    by_name = {_key(c.name): c for c in const.COMMANDS}
    checked = 0
    for name in dir(const):
        if not name.startswith('CMD_'):
            continue
        short = name[4:]
        entry = by_name.get(_key(SHORT_NAMES.get(short, short)))
        assert entry is not None, name
        assert entry.cmd == getattr(const, name), name
        checked += 1
    assert checked > 50


def test_registry_entries_are_whole_and_unique():
    keys = [(c.netfn, c.cmd) for c in const.COMMANDS]
    assert len(keys) == len(set(keys))
    for entry in const.COMMANDS:
        assert entry.name and entry.netfn % 2 == 0 and 0 <= entry.cmd < 256
        assert entry.privilege in (None, 0, const.PRIV_CALLBACK,
                                   const.PRIV_USER, const.PRIV_OPERATOR,
                                   const.PRIV_ADMINISTRATOR)
        assert all(0x80 <= code <= 0xBE for code in entry.codes)


def test_dispatch_tables_are_keyed_by_registered_commands():
    registered = set(const.COMMAND_BY_NUMBER)
    assert set(bmc._DISPATCH) <= registered
    assert set(machine._SENSOR_COMMANDS) <= registered
    assert {(const.NETFN_APP, cmd) for cmd in core._SESSION_COMMANDS} \
        <= registered
    assert set(const.COMMAND_PRIVILEGES) <= registered
    assert set(const.COMMAND_COMPLETION_CODES) <= registered


def _literal_command_numbers(path):
    with open(path, encoding='utf-8') as stream:
        tree = ast.parse(stream.read(), path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and \
                isinstance(node.value, ast.Constant) and \
                isinstance(node.value.value, int):
            for target in node.targets:
                if isinstance(target, ast.Name) and \
                        target.id.startswith('CMD_'):
                    yield target.id


def test_standard_command_numbers_are_written_only_in_constants():
    """A module names a standard command by constants' number; vendor
    (OEM) modules keep their own numbers, which the specification does
    not assign."""
    literal = {}
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in ('tests', '__pycache__',
                                                'oem')]
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith('.py') and name != 'constants.py':
                found = list(_literal_command_numbers(path))
                if found:
                    literal[os.path.relpath(path, ROOT)] = found
    assert literal == {}
    constants_path = os.path.join(ROOT, 'ipmi', 'private', 'constants.py')
    assert len(list(_literal_command_numbers(constants_path))) > 50
