"""ThinkServer TSM OEM messages (the codecs; no I/O).

Facts from the wire behaviour of pyghmi 1.6.19's Lenovo handler against
ThinkServer TSM controllers (IANA 19046, device id 32):

* netfn 3Ah command 0Fh answers on a TSM (0xC1 elsewhere): the probe;
* netfn 3Ah command C1h answers 3 bytes on IMM/XCC controllers (byte 1
  bit 0: IMM, bit 4: XCC), which are reached over HTTPS instead;
* Get System Info Parameters (netfn 06h command 59h) parameter C7h is the
  firmware table below; netfn 32h command E8h (data 01 01 02) the BIOS
  image versions (bundle and current: major, minor, 32-bit build at
  offsets 25 and 31);
* netfn 3Ah command 02h (data: LED id) one byte: 00h off, FFh on,
  anything else blinking;
* netfn 3Ah command 1Bh (data 03h) the PSU power capping state (byte 0,
  0 disabled), command 1Ah (03h, state) sets it;
* netfn 3Ah command 13h byte 0 is 0 when the remote KVM is available;
* netfn 32h command A7h: NTP state, byte 0 = 1 when enabled, then two
  server names of 128 bytes each (NUL padded); command A8h sets them:
  data (03h, 0|1) turns NTP off/on, (01h | 02h, 128-byte name) sets
  server 1 or 2;
* netfn 32h command 6Bh data (04h, block 1-4) reads the DNS domain name
  in four blocks of 64 bytes; command 6Ch sets it: (03h, 0, 0, 0, 0,
  length), then (04h, block, 64 bytes) per block, then (07h, 00h)
  restarts the BMC's DNS service;
* netfn 32h command A3h data (user id, rights, 0, 0, 0) sets a user's
  extended rights: 00h none, 01h KVM, 02h virtual media, 03h both.

The AMI MegaRAC based ThinkServer SD350 (product id 13616: netfn 3Ah
command 80h answers, byte 0 below 5) reads its LEDs with 3Ah 05h (data:
LED id; 00h off, 01h on); the ASRock Rack based RS160 and TS460
(product ids 1182, 1184: 3Ah 50h data 00 00 00 answers) with 3Ah 50h
data (03h, LED id, 00h), the state in byte 1.  Both take the TSM's NTP
commands.  The SD350 answers the TSM firmware table (no BIOS versions
command); the ASRock ones give the BMC version with 3Ah 50h data (02h,
00h, 01h): major, minor (BCD), then a 4-byte auxiliary revision whose
first byte counts, and the BIOS version as raw bytes with (02h, 01h,
01h).

pyghmi 1.6.19 sends the same bytes for NTP and the domain name but
fails on Python 3 while decoding the answers (it compares bytes with
text), so these are read here as the layouts above say.
"""

import socket

from pyghmi.exceptions import DecodeError
from pyghmi.ipmi.private.codec.layout import Layout, Raw, U

NETFN_LENOVO = 0x3A
NETFN_AMI = 0x32
CMD_TSM_PROBE = 0x0F
CMD_IMM_PROBE = 0xC1
CMD_LED = 0x02
CMD_SET_CAPPING = 0x1A
CMD_GET_CAPPING = 0x1B
CMD_KVM_STATE = 0x13
CMD_BIOS_VERSION = 0xE8
BIOS_VERSION_REQUEST = bytes((0x01, 0x01, 0x02))
CMD_USER_RIGHTS = 0xA3
RIGHTS_KVM_AND_MEDIA = 0x03
CMD_GET_NTP = 0xA7
CMD_SET_NTP = 0xA8
NTP_SET_ENABLED = 0x03
NTP_SERVER_SIZE = 128
NTP_SERVERS = 2
CMD_GET_DNS = 0x6B
CMD_SET_DNS = 0x6C
DNS_DOMAIN_LENGTH = 0x03
DNS_DOMAIN_BLOCK = 0x04
DNS_RESTART = bytes((0x07, 0x00))
DOMAIN_BLOCK_SIZE = 64
DOMAIN_BLOCKS = 4
CAPPING_PSU = 0x03
# Get System Info Parameters (22.14a): get, parameter C7h, set 0, block 0
FIRMWARE_PARAMETER = 0xC7
FIRMWARE_REQUEST = bytes((0x00, FIRMWARE_PARAMETER, 0x00, 0x00))

# The firmware table (parameter C7h), after the parameter revision byte:
# name, size; text fields padded with 00h or FFh.
FIRMWARE_FIELDS = (
    ('Bios', 16), ('Operational ME', 10), ('Recovery ME', 10),
    ('RAID 1', 16), ('RAID 2', 16), ('Mezz 1', 16), ('Mezz 2', 16),
    ('BMC', 16), ('LEPT', 16), ('PSU 1', 16), ('PSU 2', 16),
    ('CPLD', 16), ('LIND', 16), ('WIND', 16), ('DIAG', 16))


def _firmware_layout():
    fields, offset = [U('revision', 0)], 1
    for name, size in FIRMWARE_FIELDS:
        fields.append(Raw(name, offset, size))
        offset += size
    return Layout('TSM firmware table (system info parameter C7h)', fields,
                  min_length=offset)


FIRMWARE_TABLE = _firmware_layout()
BIOS_VERSIONS = Layout('TSM BIOS image versions (32h E8h)', [
    U('new_major', 25), U('new_minor', 26), U('new_build', 27, 4),
    U('cur_major', 31), U('cur_minor', 32), U('cur_build', 33, 4),
], min_length=37)

# The TSM's IPv6 address and prefix length are OEM LAN configuration
# parameters C5h and C6h of channel 1 (Get LAN Configuration Parameters,
# netfn 0Ch command 02h; the data after the revision byte).
IPV6_CHANNEL = 1
LAN_PARAM_IPV6_ADDRESS = 0xC5
LAN_PARAM_IPV6_PREFIX = 0xC6


def ipv6_address(address, prefix):
    """'address/prefix' text from the two parameter answers, or None
    when the address is missing.

    :raises DecodeError: an address that is not 16 bytes, no prefix
    """
    address, prefix = bytes(address)[1:], bytes(prefix)
    if not address:
        return None
    if len(address) != 16 or len(prefix) < 2:
        raise DecodeError('TSM IPv6 address parameters malformed')
    return '%s/%d' % (socket.inet_ntop(socket.AF_INET6, address), prefix[1])


# LED ids of command 02h, in the order they are reported.
LEDS = (('BMC_UID', 0x00), ('BMC_HEARTBEAT', 0x01), ('SYSTEM_FAULT', 0x02),
        ('PSU1_FAULT', 0x03), ('PSU2_FAULT', 0x04)) + tuple(
            ('LED_FAN_FAULT_%d' % n, 0x0F + n) for n in range(1, 9))
LED_STATES = {0x00: 'Off', 0xFF: 'On'}
LED_OTHER = 'Blink'
LENOVO = 19046            # Lenovo's IANA enterprise number
AMI_PRODUCT = 13616
CMD_AMI_PROBE = 0x80
CMD_AMI_LED = 0x05
AMI_LEDS = (('BMC_HEARTBEAT', 0x00), ('BMC_UID', 0x01),
            ('SYSTEM_FAULT', 0x02), ('HDD_FAULT', 0x03))
ASROCK_PRODUCTS = (1182, 1184)      # RS160, TS460
TS460_PRODUCT = 1184
# SD350: 3Ah 06h data (01h, 01h) turns the identify LED on indefinitely
CMD_AMI_IDENTIFY = 0x06
AMI_IDENTIFY_ON = bytes((0x01, 0x01))
ASROCK_BMC_VERSION = bytes((0x02, 0x00, 0x01))
ASROCK_BIOS_VERSION = bytes((0x02, 0x01, 0x01))
CMD_ASROCK = 0x50
ASROCK_PROBE = bytes((0x00, 0x00, 0x00))
ASROCK_LED_GET = 0x03
ASROCK_LEDS = (('SYSTEM_EVENT', 0x00), ('BMC_UID', 0x01),
               ('LED_FAN_FAULT_1', 0x02), ('LED_FAN_FAULT_2', 0x03),
               ('LED_FAN_FAULT_3', 0x04))
TS460_LEDS = ASROCK_LEDS[:4] + (('LED_FAN_CPU', 0x04),
                                ('LED_FAN_REAR', 0x05))
# AMI and ASRock LED answers: 00h off, 01h on, else blinking
ONE_IS_ON = {0x00: 'Off', 0x01: 'On'}


def _text(raw):
    return bytes(raw).rstrip(b'\x00\xff').decode('ascii', 'replace')


def decode_firmware(data):
    """``[(name, version text)]`` of the firmware table, in its order.

    :raises DecodeError: shorter than the table
    """
    table = FIRMWARE_TABLE.decode(bytes(data))
    return [(name, _text(table[name])) for name, _ in FIRMWARE_FIELDS]


def decode_asrock_bmc_version(data):
    """'major.minor.aux' of an ASRock BMC version answer (the minor
    byte is BCD).

    :raises DecodeError: shorter than major and minor
    """
    data = bytes(data)
    if len(data) < 2:
        raise DecodeError('ASRock BMC version answer of %d bytes'
                          % len(data))
    minor = (data[1] >> 4) * 10 + (data[1] & 0x0F)
    aux = data[2:6].rstrip(b'\x00\xff')
    return '%d.%d.%d' % (data[0], minor, aux[0] if aux else 0)


def decode_bios_versions(data):
    """``(bundle version, current version)`` as 'major.minor.build'.

    :raises DecodeError: too short
    """
    v = BIOS_VERSIONS.decode(bytes(data))
    return ('%d.%d.%d' % (v['new_major'], v['new_minor'], v['new_build']),
            '%d.%d.%d' % (v['cur_major'], v['cur_minor'], v['cur_build']))


NTP_STATE = Layout('TSM NTP state (32h A7h)', [
    U('enabled', 0), Raw('server1', 1, NTP_SERVER_SIZE),
    Raw('server2', 1 + NTP_SERVER_SIZE, NTP_SERVER_SIZE),
], min_length=1 + NTP_SERVERS * NTP_SERVER_SIZE)


def decode_ntp(data):
    """``(enabled, [server 1, server 2])`` of an NTP state answer.

    :raises DecodeError: shorter than the two server fields
    """
    state = NTP_STATE.decode(bytes(data))
    return state['enabled'] == 1, [_text(state['server1']),
                                   _text(state['server2'])]


def _padded(text, size, what):
    raw = text.encode('ascii') if isinstance(text, str) else bytes(text)
    if len(raw) > size:
        raise ValueError('%s longer than %d bytes' % (what, size))
    return raw.ljust(size, b'\x00')


def encode_ntp_server(index, server):
    """Set NTP server data for ``index`` (0 or 1).

    :raises ValueError: a name longer than 128 bytes, not ASCII
    """
    return bytes((1 + index,)) + _padded(server, NTP_SERVER_SIZE,
                                         'NTP server name')


def encode_domain(name):
    """The Set DNS requests that write domain ``name``: its length,
    then the four 64-byte blocks (the DNS restart goes last).

    :raises ValueError: longer than 256 bytes, not ASCII
    """
    raw = _padded(name, DOMAIN_BLOCK_SIZE * DOMAIN_BLOCKS, 'domain name')
    length = len(name.encode('ascii') if isinstance(name, str) else name)
    requests = [bytes((DNS_DOMAIN_LENGTH, 0, 0, 0, 0, length))]
    for block in range(DOMAIN_BLOCKS):
        chunk = raw[block * DOMAIN_BLOCK_SIZE:(block + 1) * DOMAIN_BLOCK_SIZE]
        requests.append(bytes((DNS_DOMAIN_BLOCK, block + 1)) + chunk)
    return requests


def decode_domain(blocks):
    """The domain name from the four Get DNS block answers."""
    return _text(b''.join(bytes(block)[:DOMAIN_BLOCK_SIZE]
                          for block in blocks))


def led_state(data, states=None, index=0):
    """The text of an LED state answer (byte ``index``)."""
    if len(data) <= index:
        return LED_OTHER
    return (states or LED_STATES).get(data[index], LED_OTHER)
