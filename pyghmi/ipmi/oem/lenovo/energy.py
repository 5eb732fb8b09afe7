"""IMM / XCC energy and power meters over OEM IPMI commands: the
codecs, and the reads as flows (:mod:`pyghmi.ipmi.facade.flows`).

Facts from the wire behaviour of pyghmi 1.6.19's Lenovo energy support:

* "FAPM" controllers answer netfn 3Ah command 32h data 04 02 00 00 00
  with at least 8 bytes: bytes 2-5 are joules and 6-7 millijoules (both
  little-endian) of DC energy; data 04 08 00 00 00 gives node, GPU and
  two riser powers in watts, four 16-bit little-endian values from byte
  6 (C3h: busy, asked again);
* the others speak the energy module protocol on netfn 2Eh with
  Lenovo's IANA (66 4A 00), or IBM's (4D 4F 00) where Lenovo's is an
  invalid command: command 82h data <IANA> 00 00 01 finds the module:
  bytes 4-5 its version (02 01, 02 06 or 02 09 are known), byte 6 its
  handle; command 81h data <IANA> <handle> 01 82 <01 AC | 00 DC> 08 reads
  an energy counter, a 64-bit big-endian count of millijoules from byte
  3 (CBh: no AC counter).

Energies are given in kWh, powers in W.
"""

import struct
import typing

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import flows

NETFN_FAPM = 0x3A
CMD_FAPM = 0x32
FAPM_ENERGY = bytes((0x04, 0x02, 0x00, 0x00, 0x00))
FAPM_POWER = bytes((0x04, 0x08, 0x00, 0x00, 0x00))
NETFN_ENERGY = 0x2E
CMD_FIND_MODULE = 0x82
CMD_READ = 0x81
IANA_LENOVO = b'\x66\x4a\x00'
IANA_IBM = b'\x4d\x4f\x00'
KNOWN_VERSIONS = (b'\x02\x01', b'\x02\x06', b'\x02\x09')
AC, DC = 0x01, 0x00
CC_INVALID_COMMAND = 0xC1
CC_BUSY = 0xC3
CC_NOT_PRESENT = 0xCB
BUSY_TRIES, BUSY_PAUSE = 3, 0.1     # a busy power meter is asked again
_MJ_PER_KWH = 1000000.0 * 3600
# FAPM meter name -> index of its power in decode_fapm_power's answer
# (total is node + GPU)
FAPM_POWERS = {'Node Power': 0, 'GPU Power': 1, 'Total Power': None}


def _need(data, size, what):
    data = bytes(data)
    if len(data) < size:
        raise exc.DecodeError('%s answer of %d bytes is too short'
                              % (what, len(data)))
    return data


def decode_fapm_energy(data):
    """kWh of a 3Ah 32h (04 02) answer."""
    joules, millis = struct.unpack_from('<IH', _need(data, 8, 'FAPM energy'),
                                        2)
    return (millis + joules * 1000) / _MJ_PER_KWH


def decode_fapm_power(data):
    """(node, GPU, riser 1, riser 2) watts of a 3Ah 32h (04 08) answer."""
    return struct.unpack_from('<HHHH', _need(data, 14, 'FAPM power'), 6)


def decode_energy(data):
    """kWh of a 2Eh 81h energy counter answer."""
    return struct.unpack_from('!Q', _need(data, 11, 'energy counter'),
                              3)[0] / _MJ_PER_KWH


def find_module_request(iana):
    """2Eh 82h request data looking for the energy module."""
    return iana + b'\x00\x00\x01'


def counter_request(iana, handle, which):
    """2Eh 81h request data reading counter ``which`` (AC or DC)."""
    return iana + handle + bytes((0x01, 0x82, which, 0x08))


def _ask(netfn, command, data):
    """Flow: the answer data of one request."""
    return bytes((yield flows.Xraw(netfn, command, data))['data'])


def find_meters():
    """Flow: the :class:`Meters` of this controller.

    :raises UnsupportedFunctionality: no known energy support
    """
    try:
        if len((yield from _ask(NETFN_FAPM, CMD_FAPM, FAPM_ENERGY))) >= 8:
            return Meters(fapm=True)
    except exc.IpmiException:
        pass
    iana, handle = yield from _find_module()
    meters = Meters(fapm=False, iana=iana, handle=handle)
    if (yield from meters.counter(AC)):
        meters.names = ('AC Energy', 'DC Energy')
    return meters


def _find_module():
    """Flow: ``(IANA, handle)`` of the energy module (Lenovo's IANA, or
    IBM's where Lenovo's is an invalid command)."""
    iana = IANA_LENOVO
    try:
        data = yield from _ask(NETFN_ENERGY, CMD_FIND_MODULE,
                               find_module_request(iana))
    except exc.IpmiException as err:
        if err.ipmicode != CC_INVALID_COMMAND:
            raise exc.UnsupportedFunctionality(
                'no energy module: %s' % err) from None
        iana = IANA_IBM
        try:
            data = yield from _ask(NETFN_ENERGY, CMD_FIND_MODULE,
                                   find_module_request(iana))
        except exc.IpmiException as err:
            raise exc.UnsupportedFunctionality(
                'no energy module: %s' % err) from None
    if len(data) < 7 or data[4:6] not in KNOWN_VERSIONS:
        raise exc.UnsupportedFunctionality(
            'energy module version %s not known' % data[4:6].hex())
    return iana, data[6:7]


class Meters:
    """The energy and power meters of one controller, as
    :func:`find_meters` finds them.

    :param fapm: a FAPM controller (3Ah 32h), else the energy module's
    :param iana: the energy module's IANA bytes
    :param handle: the energy module's handle (one byte)
    """

    def __init__(self, fapm, iana=IANA_LENOVO, handle=b''):
        self.fapm = fapm
        self.iana = iana
        self.handle = handle
        self.names: typing.Tuple[str, ...] = (
            'DC Energy', 'GPU Power', 'Node Power', 'Total Power') \
            if fapm else ('DC Energy',)

    def counter(self, which):
        """Flow: kWh of energy counter ``which`` (AC or DC); 0.0 for an
        AC counter the module does not have."""
        try:
            return decode_energy((yield from _ask(
                NETFN_ENERGY, CMD_READ,
                counter_request(self.iana, self.handle, which))))
        except exc.IpmiException as err:
            if which == AC and err.ipmicode == CC_NOT_PRESENT:
                return 0.0
            raise

    def read(self, name):
        """Flow: ``(value, units, type)`` of meter ``name``.

        :raises UnsupportedFunctionality: no such meter here
        """
        if name not in self.names:
            raise exc.UnsupportedFunctionality('No such sensor ' + name)
        if name == 'AC Energy':
            return (yield from self.counter(AC)), 'kWh', 'Energy'
        if name == 'DC Energy':
            if self.fapm:
                data = yield from _ask(NETFN_FAPM, CMD_FAPM, FAPM_ENERGY)
                return decode_fapm_energy(data), 'kWh', 'Energy'
            return (yield from self.counter(DC)), 'kWh', 'Energy'
        powers = yield from _fapm_powers()
        index = FAPM_POWERS[name]
        value = powers[0] + powers[1] if index is None else powers[index]
        return value, 'W', 'Power'


def _fapm_powers():
    """Flow: the FAPM powers, a busy meter asked again
    (:data:`BUSY_TRIES` times, :data:`BUSY_PAUSE` apart)."""
    tries = BUSY_TRIES
    while True:
        tries -= 1
        try:
            return decode_fapm_power((yield from _ask(
                NETFN_FAPM, CMD_FAPM, FAPM_POWER)))
        except exc.IpmiException as err:
            if err.ipmicode != CC_BUSY or not tries:
                raise
        yield flows.Sleep(BUSY_PAUSE)
