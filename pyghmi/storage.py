"""Storage configuration objects exchanged with vendor handlers
(``Command.get_storage_configuration`` and the methods that apply,
check or remove one).

A :class:`ConfigSpec` read from a BMC describes its whole configuration;
one given to a BMC describes only the change (the disks to use, the
arrays and volumes to create or remove).
"""

from typing import Any

import re

# Volume sizes may be given as text with a decimal unit, as pyghmi took
# them: 'mb' (the unit of ``Volume.size``), 'gb' (1000 MB), 'tb'.
_SIZE_UNITS = {'mb': 1, 'gb': 1000, 'tb': 1000 * 1000}
_SIZE_TEXT = re.compile(r'^\s*(\d+)\s*(mb|gb|tb)\s*$')


def _keep(obj, arguments):
    """Make each constructor argument (``locals()`` at the top of
    ``__init__``) the attribute of the same name: the attributes are the
    keyword names, which are public API."""
    for name, value in arguments.items():
        if name != 'self':
            setattr(obj, name, value)


class Disk:
    """A physical disk.

    :param name: human-readable name
    :param description: what the controller says it is
    :param id: the controller's identifier
    :param status: the controller's status text ('Online', 'Unconfigured
        Good', 'Hot Spare'...)
    :param serial: serial number
    :param fru: FRU (part) number
    :param stripsize: strip size in KiB
    """

    # set by __init__ from its keyword arguments (_keep)
    name: Any
    description: Any
    id: Any
    status: Any
    serial: Any
    fru: Any
    stripsize: Any

    def __init__(self, name, description=None, id=None, status=None,
                 serial=None, fru=None, stripsize=None):
        _keep(self, locals())
        self.name = str(name)

    def __repr__(self):
        return 'Disk(%r, status=%r)' % (self.name, self.status)


class Array:
    """A RAID array of disks.

    :param disks: its :class:`Disk` objects
    :param raid: the RAID level ('raid1', '5'...)
    :param status: the controller's status text
    :param volumes: its :class:`Volume` objects
    :param id: the controller's identifier
    :param spans: number of spans of a nested level (10, 50, 60)
    :param hotspares: :class:`Disk` objects dedicated to it
    :param capacity: total capacity (MB)
    :param available_capacity: capacity not yet in volumes (MB)
    """

    # set by __init__ from its keyword arguments (_keep)
    disks: Any
    raid: Any
    status: Any
    volumes: Any
    id: Any
    spans: Any
    hotspares: Any
    capacity: Any
    available_capacity: Any

    def __init__(self, disks=None, raid=None, status=None, volumes=(),
                 id=None, spans=None, hotspares=(), capacity=None,
                 available_capacity=None):
        _keep(self, locals())

    def __repr__(self):
        return 'Array(raid=%r, disks=%r)' % (self.raid, self.disks)


class Volume:
    """A volume (virtual drive) of an array.

    :param name: its name
    :param size: MB as an int, or text with a unit ('500GB', '2TB',
        decimal units); other values are kept as given (for example
        'remainder' to take what is left)
    :param status: the controller's status text
    :param id: the controller's identifier
    :param stripsize: strip size in KiB
    :param read_policy: read policy text
    :param write_policy: write policy text
    :param default_init: initialisation to run when it is created
    """

    # set by __init__ from its keyword arguments (_keep)
    name: Any
    size: Any
    status: Any
    id: Any
    stripsize: Any
    read_policy: Any
    write_policy: Any
    default_init: Any

    def __init__(self, name=None, size=None, status=None, id=None,
                 stripsize=None, read_policy=None, write_policy=None,
                 default_init=None):
        _keep(self, locals())
        self.size = _size_mb(size)

    def __repr__(self):
        return 'Volume(%r, size=%r)' % (self.name, self.size)


def _size_mb(size):
    if isinstance(size, int) or size is None:
        return size
    match = _SIZE_TEXT.match(str(size).lower())
    if match is None:
        return size
    return int(match.group(1)) * _SIZE_UNITS[match.group(2)]


class ConfigSpec:
    """A storage configuration, or a change to one.

    :param disks: :class:`Disk` objects not in an array
    :param arrays: :class:`Array` objects
    """

    # set by __init__ from its keyword arguments (_keep)
    disks: Any
    arrays: Any

    def __init__(self, disks=(), arrays=()):
        _keep(self, locals())

    def __repr__(self):
        return 'ConfigSpec(disks=%r, arrays=%r)' % (self.disks, self.arrays)
