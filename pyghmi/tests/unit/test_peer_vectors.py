"""Every message layout against bytes that other software made.

A round trip through our own encoder and decoder cannot catch a field
put at the same wrong place on both sides.  Each vector below was made
by someone else, and its expected values are read off the specification
(IPMI v2.0 rev. 1.1 section or table named in the layout):

* requests: the data ipmitool 1.8.19 sent for the command shown, read
  from its ``-vvvv`` trace ("Sending IPMI command payload"), against
  OpenIPMI's ipmi_sim 2.0.33 with the functional tests' configuration or
  against fakebmc (the request bytes are ipmitool's either way);
* responses: what ipmi_sim answered, from ``ipmitool raw`` (data after
  the completion code) or from ipmitool's ``-vvvv`` trace of an IPMI 1.5
  login (``-I lan -A MD5``);
* ``spec:`` vectors, for messages neither peer makes (ipmi_sim has no
  SOL configuration or payload status commands), written byte by byte
  from the specification's table.

Each vector must decode to the expected fields, and encoding the decoded
fields must give the very same bytes back (no bit lost or invented).
``test_every_layout_has_a_foreign_vector`` fails when a layout is added
without one (here, or in the named tests of test_codec_vectors.py).
"""

import importlib
import pathlib
import pkgutil

import pytest

import pyghmi
from pyghmi.ipmi.private.codec.layout import Layout

_HERE = pathlib.Path(__file__).parent

# (module, layout, hex, {field: value read off the spec}, where from)
VECTORS = [
    # ------------------------------------------------------ users (22)
    ('pyghmi.ipmi.private.codec.users', 'SET_USER_NAME',
     '05 626f62 00000000000000000000000000',
     {'uid': 5, 'name': b'bob' + bytes(13)},
     'ipmitool user set name 5 bob'),
    ('pyghmi.ipmi.private.codec.users', 'SET_USER_PASSWORD',
     '05 02 73656372657431 000000000000000000',
     {'uid': 5, 'twenty': False, 'operation': 2,
      'password': b'secret1' + bytes(9)},
     'ipmitool user set password 5 secret1'),
    ('pyghmi.ipmi.private.codec.users', 'SET_USER_ACCESS',
     'b1 05 04 00',
     {'change': True, 'callback': False, 'link_auth': True,
      'ipmi_msg': True, 'channel': 1, 'uid': 5, 'privilege': 4,
      'session_limit': 0},
     'ipmitool channel setaccess 1 5 callin=off ipmi=on link=on '
     'privilege=4'),
    ('pyghmi.ipmi.private.codec.users', 'GET_USER_ACCESS_REQUEST',
     '01 05', {'channel': 1, 'uid': 5}, 'ipmitool channel getaccess 1 5'),
    ('pyghmi.ipmi.private.codec.users', 'GET_USER_ACCESS',
     '3f 05 01 14',
     {'max_users': 63, 'enabled_users': 5, 'enable_status': 0,
      'fixed_names': 1, 'privilege': 4, 'ipmi_msg': True,
      'link_auth': False, 'callback': False},
     'ipmi_sim: ipmitool raw 0x06 0x44 0x01 0x02 (admin, user 2)'),
    ('pyghmi.ipmi.private.codec.users', 'GET_USER_NAME_REQUEST',
     '05', {'uid': 5}, 'ipmitool channel getaccess 1 5'),
    ('pyghmi.ipmi.private.codec.users', 'SET_PAYLOAD_ACCESS',
     '01 05 02 00 00 00',
     {'channel': 1, 'uid': 5, 'operation': 0, 'standard': 0x02,
      'oem': 0},
     'ipmitool sol payload enable 1 5 (0: enable; bit 1: SOL)'),
    ('pyghmi.ipmi.private.codec.users', 'GET_PAYLOAD_ACCESS_REQUEST',
     '01 02', {'channel': 1, 'uid': 2}, 'ipmitool sol payload status 1 2'),
    ('pyghmi.ipmi.private.codec.users', 'GET_PAYLOAD_ACCESS',
     '02 00 01 00', {'standard': 0x02, 'oem': 0x01},
     'spec: table 24-7, SOL and OEM payload 0 enabled'),
    # ---------------------------------------- IPMI 1.5 login (22.16-17)
    ('pyghmi.ipmi.private.codec.v15', 'CHALLENGE_REQUEST',
     '02 61646d696e 0000000000000000000000',
     {'authtype': 2, 'user': b'admin' + bytes(11)},
     'ipmitool -I lan -A MD5 -U admin (ipmi_sim)'),
    ('pyghmi.ipmi.private.codec.v15', 'CHALLENGE_RESPONSE',
     '85000000 bdc7bdfb00e47d5e527a7ce33a0408f0',
     {'temp_sid': 0x85,
      'challenge': bytes.fromhex('bdc7bdfb00e47d5e527a7ce33a0408f0')},
     'ipmi_sim answering ipmitool -I lan -A MD5'),
    ('pyghmi.ipmi.private.codec.v15', 'ACTIVATE_REQUEST',
     '02 04 bdc7bdfb00e47d5e527a7ce33a0408f0 5594447a',
     {'authtype': 2, 'privilege': 4, 'outbound_seq': 0x7A449455,
      'challenge': bytes.fromhex('bdc7bdfb00e47d5e527a7ce33a0408f0')},
     'ipmitool -I lan -A MD5 -U admin (ipmi_sim)'),
    ('pyghmi.ipmi.private.codec.v15', 'ACTIVATE_RESPONSE',
     '02 06130000 9ca368ee 04',
     {'authtype': 2, 'sid': 0x1306, 'inbound_seq': 0xEE68A39C,
      'privilege': 4},
     'ipmi_sim answering ipmitool -I lan -A MD5'),
    # ------------------------------------------------- channel (22)
    ('pyghmi.ipmi.private.codec.channel', 'AUTH_CAPS_REQUEST',
     '8e 04', {'channel': 0x0E, 'ipmi20': True, 'privilege': 4},
     'ipmitool -I lanplus (any command)'),
    ('pyghmi.ipmi.private.codec.channel', 'SET_CHANNEL_ACCESS',
     '01 42 44',
     {'channel': 1, 'access_update': 1, 'access_mode': 2,
      'alerting_disabled': False, 'per_msg_disabled': False,
      'user_auth_disabled': False, 'privilege_update': 1,
      'privilege': 4},
     'ipmitool lan set 1 access on (non-volatile)'),
    ('pyghmi.ipmi.private.codec.channel', 'GET_CHANNEL_ACCESS_REQUEST',
     '01 80', {'channel': 1, 'read_mode': 2},
     'ipmitool channel info 1 (volatile)'),
    ('pyghmi.ipmi.private.codec.channel', 'GET_CHANNEL_ACCESS',
     '02 04',
     {'access_mode': 2, 'user_auth_disabled': False,
      'per_msg_disabled': False, 'alerting_disabled': False,
      'privilege': 4},
     'ipmi_sim: ipmitool raw 0x06 0x41 0x01 0x40'),
    ('pyghmi.ipmi.private.codec.channel', 'CIPHER_SUITES_REQUEST',
     '01 00 80',
     {'channel': 1, 'payload_type': 0, 'index': 0, 'by_suite': True},
     'ipmitool channel getciphers ipmi 1'),
    # ------------------------------------------------- chassis (28)
    ('pyghmi.ipmi.private.codec.chassis', 'CHASSIS_CONTROL',
     '02', {'action': 2}, 'ipmitool chassis power cycle'),
    ('pyghmi.ipmi.private.codec.chassis', 'GET_BOOT_OPTIONS',
     '05 00 00', {'parameter': 5, 'set_selector': 0, 'block_selector': 0},
     'ipmitool chassis bootparam get 5'),
    ('pyghmi.ipmi.private.codec.chassis', 'SET_BOOT_OPTIONS',
     '05 e0 08 00 00 00',
     {'parameter': 5, 'invalid': False,
      'data': bytes.fromhex('e008000000')},
     'ipmitool chassis bootdev disk options=persistent,efiboot'),
    ('pyghmi.ipmi.private.codec.chassis', 'BOOT_FLAGS',
     'e0 08 00 00 00',
     {'valid': True, 'persistent': True, 'efi': True, 'selector': 2},
     'ipmitool chassis bootdev disk options=persistent,efiboot '
     '(its data; 2: hard drive)'),
    ('pyghmi.ipmi.private.codec.chassis', 'BOOT_OPTIONS_RESPONSE',
     '01 05 00 00 00 00 00',
     {'version': 1, 'parameter': 5, 'invalid': False,
      'data': bytes(5)},
     'ipmi_sim: ipmitool raw 0x00 0x09 0x05 0 0'),
    ('pyghmi.ipmi.private.codec.chassis', 'IDENTIFY',
     '00 01', {'interval': 0, 'force': True},
     'ipmitool chassis identify force'),
    # ------------------------------------------- SOL and payloads (24)
    ('pyghmi.ipmi.private.codec.sol', 'ACTIVATE_REQUEST',
     '01 01 c6 00 00 00',
     {'payload_type': 1, 'instance': 1, 'encrypt': True,
      'authenticate': True, 'alerts': 1, 'handshake_deasserted': True},
     'ipmitool -C 17 sol activate'),
    ('pyghmi.ipmi.private.codec.sol', 'ACTIVATE_RESPONSE',
     '00000000 0001 0001 6f02 ffff',
     {'aux': 0, 'inbound_size': 256, 'outbound_size': 256, 'port': 623,
      'vlan': 0xFFFF},
     'spec: table 24-2, 256-byte payloads on port 623, no VLAN'),
    ('pyghmi.ipmi.private.codec.sol', 'DEACTIVATE_REQUEST',
     '01 01 00000000', {'payload_type': 1, 'instance': 1, 'aux': 0},
     'ipmitool sol deactivate'),
    ('pyghmi.ipmi.private.codec.sol', 'STATUS_REQUEST',
     '01', {'payload_type': 1},
     'spec: table 24-4, SOL'),
    ('pyghmi.ipmi.private.codec.sol', 'STATUS_RESPONSE',
     '01 01 00', {'capacity': 1, 'active': 1},
     'spec: table 24-4, one instance, instance 1 active'),
    ('pyghmi.ipmi.private.codec.sol', 'INSTANCE_REQUEST',
     '01 01', {'payload_type': 1, 'instance': 1},
     'spec: table 24-5, SOL instance 1'),
    ('pyghmi.ipmi.private.codec.sol', 'INSTANCE_RESPONSE',
     '78563412 01 00000000000000',
     {'session_id': 0x12345678, 'port': 1, 'reserved': bytes(7)},
     'spec: table 24-5, session 12345678h, serial port 1'),
    ('pyghmi.ipmi.private.codec.sol', 'CONFIG_GET_REQUEST',
     '01 01 00 00',
     {'channel': 1, 'revision_only': False, 'parameter': 1,
      'set_selector': 0, 'block_selector': 0},
     'ipmitool sol info 1'),
    ('pyghmi.ipmi.private.codec.sol', 'CONFIG_SET_REQUEST',
     '01 01 01', {'channel': 1, 'parameter': 1, 'data': b'\x01'},
     'ipmitool sol set enabled true 1'),
    ('pyghmi.ipmi.private.codec.sol', 'PACKET',
     '01 00 00 00 41',
     {'seq': 1, 'ack_seq': 0, 'accepted': 0, 'control': 0,
      'data': b'A'},
     'spec: table 15-2, first packet carrying "A", nothing to ack'),
    # -------------------------------------------- LAN (23) and PEF (30)
    ('pyghmi.ipmi.private.server.lanconfig', 'GET_REQUEST',
     '01 03 00 00',
     {'channel': 1, 'revision_only': False, 'parameter': 3,
      'set_selector': 0, 'block_selector': 0},
     'ipmitool lan print 1'),
    ('pyghmi.ipmi.private.server.lanconfig', 'SET_REQUEST',
     '01 03 0a010203',
     {'channel': 1, 'parameter': 3, 'data': bytes((10, 1, 2, 3))},
     'ipmitool lan set 1 ipaddr 10.1.2.3'),
    ('pyghmi.ipmi.private.server.pefconfig', 'GET_REQUEST',
     '09 01 00',
     {'revision_only': False, 'parameter': 9, 'set_selector': 1,
      'block_selector': 0},
     'ipmitool pef policy list'),
    ('pyghmi.ipmi.private.server.pefconfig', 'SET_REQUEST',
     '01 01', {'parameter': 1, 'data': b'\x01'},
     'spec: table 30-6, PEF control: enable PEF'),
    ('pyghmi.ipmi.private.server.pefconfig', 'CAPABILITIES',
     '51 3f 10', {'version': 0x51, 'actions': 0x3F, 'filters': 16},
     'ipmi_sim: ipmitool raw 0x04 0x10'),
    ('pyghmi.ipmi.private.server.pefconfig', 'POLICY_ENTRY',
     '01 18 12 00',
     {'selector': 1, 'policy_number': 1, 'enabled': True, 'policy': 0,
      'channel': 1, 'destination': 2, 'string_key': 0},
     'spec: table 30-9, entry 1 of policy 1 enabled, "always send", '
     'channel 1 destination 2'),
    # ------------------------------------------ SDR records (43) and 35
    ('pyghmi.ipmi.sdrrecords', 'HEADER', '0600 51 01 3a',
     {'record_id': 6, 'version': 0x51, 'record_type': 1, 'length': 58},
     'spec: section 43, record 6, full sensor record of 58 more bytes'),
    ('pyghmi.ipmi.sdrrecords', 'FACTORS', 'fe c5 2c 64 18 e1',
     {'m': -2, 'tolerance': 5, 'b': 300, 'accuracy': 100,
      'accuracy_exp': 2, 'direction': 0, 'rexp': -2, 'bexp': 1},
     'spec: table 43-1 bytes 25-30, 10-bit M and B, signed exponents'),
    ('pyghmi.ipmi.sdrrecords', 'COMPACT_SENSOR',
     '0300 51 02 1e 20 00 30 07 01 7f 40 08 6f 0700 0700 0700 00 00 00'
     ' 02 81 00 00 000000 00 c3 505355',
     {'record_id': 3, 'record_type': 2, 'length': 30, 'owner': 0x20,
      'number': 0x30, 'entity': 7, 'instance': 1, 'sensor_type': 8,
      'reading_type': 0x6F, 'assertion_mask': 7, 'share_count': 2,
      'modifier_type': 0, 'modifier_offset': 1, 'instance_sharing': True,
      'id_string': b'\xc3PSU'},
     'spec: table 43-2, two power supply sensors sharing one record'),
    ('pyghmi.ipmi.sdrrecords', 'EVENT_ONLY_SENSOR',
     '0400 51 03 10 20 00 40 07 01 12 6f 01 00 00 00 c4 53595345',
     {'record_id': 4, 'record_type': 3, 'number': 0x40,
      'sensor_type': 0x12, 'reading_type': 0x6F, 'share_count': 1,
      'id_string': b'\xc4SYSE'},
     'spec: table 43-3, a system event sensor'),
    ('pyghmi.ipmi.sdrrecords', 'FRU_DEVICE_LOCATOR',
     '0500 51 11 0e 20 01 80 00 00 10 00 0a 01 00 c3 505331',
     {'record_type': 0x11, 'access_address': 0x20, 'fru_id': 1,
      'logical': True, 'access_lun': 0, 'private_bus': 0, 'channel': 0,
      'device_type': 0x10, 'entity': 0x0A, 'instance': 1,
      'id_string': b'\xc3PS1'},
     'spec: table 43-7, logical FRU 1 of the BMC, a power supply'),
    ('pyghmi.ipmi.sdrrecords', 'MC_DEVICE_LOCATOR',
     '0100 51 12 0e 20 00 00 bf 000000 2e 01 00 c3 424d43',
     {'record_type': 0x12, 'slave_address': 0x20, 'channel': 0,
      'capabilities': 0xBF, 'entity': 0x2E, 'instance': 1,
      'id_string': b'\xc3BMC'},
     'spec: table 43-8, the BMC at 20h with every device capability'),
    ('pyghmi.ipmi.sdrrecords', 'OEM_RECORD',
     '0200 51 c0 06 664a00 aabbcc',
     {'record_type': 0xC0, 'manufacturer_id': 19046,
      'oem_data': bytes.fromhex('aabbcc')},
     'spec: table 43-11, Lenovo (IANA 19046) OEM record'),
    ('pyghmi.ipmi.sdrrecords', 'SENSOR_READING', '13 c0 08 00',
     {'raw': 0x13, 'unavailable': False, 'scanning_enabled': True,
      'events_enabled': True, 'states': 0x08, 'states_high': 0},
     'spec: table 35-15, reading 13h at or above upper non-critical'),
    # ---------------------------------------------------- SEL (32)
    ('pyghmi.ipmi.events', 'OEM_TIMESTAMPED_RECORD',
     '0201 c0 00e10b5e 664a00 010203040506',
     {'record_id': 0x0102, 'record_type': 0xC0, 'timestamp': 1577836800,
      'manufacturer_id': 19046, 'oem_data': bytes((1, 2, 3, 4, 5, 6))},
     'spec: table 32-2, 2020-01-01T00:00:00Z, Lenovo'),
    ('pyghmi.ipmi.events', 'OEM_RECORD',
     '0301 e0 00112233445566778899aabbcc',
     {'record_id': 0x0103, 'record_type': 0xE0,
      'oem_data': bytes.fromhex('00112233445566778899aabbcc')},
     'spec: table 32-3, non-timestamped OEM record'),
    # ------------------------------------------ FRU (FRU spec 1.0 r1.3)
    ('pyghmi.ipmi.fru', 'COMMON_HEADER', '01 00 01 02 05 00 00 f7',
     {'format': 1, 'internal_offset': 0, 'chassis_offset': 1,
      'board_offset': 2, 'product_offset': 5, 'multirecord_offset': 0,
      'checksum': 0xF7},
     'FRU spec section 8, areas at 8, 16 and 40; zero checksum'),
    ('pyghmi.ipmi.fru', 'CHASSIS_HEAD', '01 02 17',
     {'format': 1, 'length': 2, 'chassis_type': 0x17},
     'FRU spec section 10, 16 bytes, rack mount chassis'),
    ('pyghmi.ipmi.fru', 'BOARD_HEAD', '01 08 19 c09cc0',
     {'format': 1, 'length': 8, 'language': 25, 'minutes': 12623040},
     'FRU spec section 11, English, made 2020-01-01 00:00 (minutes '
     'since 1996)'),
    ('pyghmi.ipmi.fru', 'PRODUCT_HEAD', '01 07 19',
     {'format': 1, 'length': 7, 'language': 25},
     'FRU spec section 12, 56 bytes, English'),
    ('pyghmi.ipmi.fru', 'MULTIRECORD_HEADER', '01 82 0d 10 60',
     {'type': 1, 'format': 2, 'end_of_list': True, 'length': 13,
      'record_checksum': 0x10, 'header_checksum': 0x60},
     'FRU spec section 16.1, last record, a DC output (13 bytes)'),
    ('pyghmi.ipmi.fru', 'DC_OUTPUT', '02 50fb 7404 ec04 3200 0000 1027',
     {'output_number': 2, 'standby': False, 'nominal_voltage': -1200,
      'max_negative_deviation': 1140, 'max_positive_deviation': 1260,
      'ripple': 50, 'min_current': 0, 'max_current': 10000},
     'FRU spec section 18.2, output 2 at -12.00 V, up to 10 A'),
]

# Layouts whose foreign vectors are in other test files (file, test).
ELSEWHERE = {
    ('pyghmi.ipmi.private.codec.device', 'DEVICE_ID'):
        ('test_codec_vectors.py', 'test_20_2_device_id_from_ipmi_sim'),
    ('pyghmi.ipmi.private.codec.chassis', 'CHASSIS_STATUS'):
        ('test_codec_vectors.py', 'test_28_3_chassis_status_from_ipmi_sim'),
    ('pyghmi.ipmi.private.codec.channel', 'CIPHER_SUITES_RESPONSE'):
        ('test_codec_vectors.py', 'test_22_18_cipher_suites_from_ipmi_sim'),
    ('pyghmi.ipmi.private.codec.channel', 'AUTH_CAPS_RESPONSE'):
        ('test_codec_vectors.py',
         'test_22_15_auth_caps_as_ipmitool_expects'),
    ('pyghmi.ipmi.private.codec.channel', 'CHANNEL_INFO'):
        ('test_codec_vectors.py',
         'test_22_24_channel_info_lan_multi_session'),
    ('pyghmi.ipmi.sdrrecords', 'FULL_SENSOR'):
        ('test_codec_vectors.py',
         'test_43_1_full_record_fields_at_their_table_offsets'),
    ('pyghmi.ipmi.events', 'SYSTEM_EVENT_RECORD'):
        ('test_codec_vectors.py', 'test_32_1_system_event_record_fields'),
    ('pyghmi.ipmi.fru', 'POWER_SUPPLY'):
        ('test_codec_vectors.py', 'test_fru_18_1_power_supply_fields'),
}

# Vendor messages with no public specification and no peer that makes
# them: checked against pyghmi 1.6.19's own reading of the same fakebmc
# (test_drop_in_shapes_lenovo.py, test_lenovo_peers.py).
NO_PUBLIC_SOURCE = {
    ('pyghmi.ipmi.oem.lenovo.tsm', 'BIOS_VERSIONS'),
    ('pyghmi.ipmi.oem.lenovo.tsm', 'FIRMWARE_TABLE'),
    ('pyghmi.ipmi.oem.lenovo.tsm', 'NTP_STATE'),
}


def _layout(module, name):
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize('module,name,data,expected,source', VECTORS,
                         ids=['%s.%s' % (v[0].rsplit('.', 1)[1], v[1])
                              for v in VECTORS])
def test_foreign_bytes_decode_to_the_spec_fields(module, name, data,
                                                 expected, source):
    raw = bytes.fromhex(data)
    decoded = _layout(module, name).decode(raw)
    assert {key: decoded[key] for key in expected} == expected, source


@pytest.mark.parametrize('module,name,data,expected,source', VECTORS,
                         ids=['%s.%s' % (v[0].rsplit('.', 1)[1], v[1])
                              for v in VECTORS])
def test_decoded_fields_encode_to_the_same_bytes(module, name, data,
                                                 expected, source):
    layout = _layout(module, name)
    raw = bytes.fromhex(data)
    assert layout.encode(**layout.decode(raw)) == raw, source


def _all_layouts():
    found = {}
    for info in pkgutil.walk_packages(pyghmi.__path__, 'pyghmi.'):
        if '.tests' in info.name or info.name.endswith('.__main__'):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, Layout) and \
                    value.__class__.__module__ != info.name:
                found.setdefault(id(value), (info.name, name))
    return set(found.values())


def test_every_layout_has_a_foreign_vector():
    here = {(module, name) for module, name, _, _, _ in VECTORS}
    for (file, test) in ELSEWHERE.values():
        assert 'def %s(' % test in (_HERE / file).read_text(), test
    missing = sorted(_all_layouts() - here - set(ELSEWHERE) -
                     NO_PUBLIC_SOURCE)
    assert not missing
