"""PET traps: the BER of the SNMPv1 Trap-PDU, the PET data layout, and
fakebmc's rule of sending only to loopback destinations."""

import ipaddress
import uuid

from pyghmi.fakebmc import alerts
from pyghmi.ipmi import events
from pyghmi.ipmi.private.codec import pet
from pyghmi.ipmi.private.server import lanconfig as lan
from pyghmi.ipmi.private.server import pefconfig as pef

# A SEL system event: record 0x0102, 2026-01-01, generator 0x20 (the
# BMC), IPMI 2.0, temperature sensor 0x30, threshold assertion, upper
# critical going high (offset 9), reading 0x5a, threshold 0x50.
RECORD = bytes.fromhex('0201 02 80b95569 2000 04 01 30 01 59 5a50'
                       .replace(' ', ''))


def test_ber_primitives_x690():
    # X.690 examples: lengths, integers, an OID
    assert pet.integer(0) == b'\x02\x01\x00'
    assert pet.integer(127) == b'\x02\x01\x7f'
    assert pet.integer(128) == b'\x02\x02\x00\x80'
    assert pet.integer(256) == b'\x02\x02\x01\x00'
    assert pet.tlv(0x04, b'x' * 200)[:3] == b'\x04\x81\xc8'
    # 3183 = 24 * 128 + 111: two base-128 digits, 98h 6Fh
    assert pet.oid((1, 3, 6, 1, 4, 1, 3183)) == \
        bytes.fromhex('06072b06010401986f')


def test_specific_trap_and_pet_data_round_trip():
    guid = uuid.UUID('a1234567-89ab-cdef-a123-456789abcdef').bytes_le
    data = pet.pet_data(RECORD, guid, 0x0102, manufacturer=343,
                        system_id=0x0507)
    assert len(data) == 47 and data[-1] == 0xC1
    assert data[27:29] == b'\x20\x30'          # generator, sensor number
    assert data[31:34] == b'\x59\x5a\x50'      # event data 1-3
    specific = pet.specific_trap(RECORD)
    assert specific == 0x010109
    event = events.decode_pet(specific, data)
    assert event['event'] == 'Upper Critical - going high'
    assert event['component_type'] == 'Temperature'
    assert event['record_id'] == 0x0102


def test_trap_pdu_structure():
    datagram = pet.trap(RECORD, bytes(16), b'public', b'\xc0\x00\x02\x0a',
                        1234)
    assert datagram[0] == 0x30
    assert pet.integer(0) + pet.tlv(0x04, b'public') in datagram
    assert b'\xa4' in datagram and pet.oid(pet.ENTERPRISE) in datagram
    assert pet.tlv(0x40, b'\xc0\x00\x02\x0a') in datagram
    assert pet.integer(0x010109) in datagram


class _Bmc:
    def __init__(self, address):
        self.lan = lan.LanStore({**lan.alert_parameters(),
                                 lan.P_IP: bytes(4)})
        self.pef = pef.PefStore(pef.pef_parameters())
        self.lan.values[(lan.P_ALERT_ADDRESS, 1)] = lan.alert_address(
            1, ipaddress.ip_address(address))
        self.pef.values[(pef.P_POLICY, 1)] = pef.policy_entry(1, 1, 1)
        self.config = type('Config', (), {'channel': 1})()
        self.uuid = uuid.uuid4()
        self.mfgid = self.prodid = 0


def _sent(address, allow_remote=False):
    sender = alerts.AlertSender(_Bmc(address), allow_remote=allow_remote)
    targets = []
    sender._send = lambda record, where: targets.append(str(where))
    sender.event(RECORD)
    return targets


def test_traps_go_to_loopback_only_unless_allowed():
    assert _sent('127.0.0.5') == ['127.0.0.5']
    assert _sent('192.0.2.7') == []
    assert _sent('192.0.2.7', allow_remote=True) == ['192.0.2.7']


def test_no_trap_when_pef_is_off():
    sender = alerts.AlertSender(_Bmc('127.0.0.5'))
    sender.bmc.pef.values[pef.P_CONTROL] = b'\x00'
    targets = []
    sender._send = lambda record, where: targets.append(where)
    sender.event(RECORD)
    assert targets == []
