"""FakeBmc: a Bmc in front of a simulated machine described by a profile.

State that a client can change (power, boot device and flags, identify)
is kept in a :class:`MachineState`, optionally saved to a JSON file on
every change so that it survives a restart.
"""

import ipaddress
import json
import logging
import os
import threading
import time
import uuid

from pyghmi import exceptions as exc
from pyghmi.fakebmc import alerts as fakealerts
from pyghmi.fakebmc import bios as fakebios
from pyghmi.fakebmc import dcmi as fakedcmi
from pyghmi.fakebmc import inventory as fakeinventory
from pyghmi.fakebmc import sel as fakesel
from pyghmi.fakebmc import sensors as fakesensors
from pyghmi.fakebmc import serialport
from pyghmi.ipmi import bmc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import chassis
from pyghmi.ipmi.private.codec import pet
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.server import core as serversession
from pyghmi.ipmi.private.server import lanconfig

LOG = logging.getLogger('pyghmi.fakebmc')


class StateFile:
    """A JSON file holding the state of several BMCs, keyed by port.

    Written with mode 0600: it holds the user table with its passwords
    (RAKP needs them in the clear); it never holds Kg or session keys.
    """

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.data = {}
        if path and os.path.exists(path):
            with open(path) as f:
                self.data = json.load(f)

    def get(self, key):
        """The saved state of ``key`` (a dict, maybe empty)."""
        return dict(self.data.get(str(key), {}))

    def put(self, key, state):
        """Save ``state`` for ``key`` atomically (write, then rename)."""
        if not self.path:
            return
        with self.lock:
            self.data[str(key)] = state
            tmp = self.path + '.tmp'
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, 'w') as f:
                json.dump(self.data, f, indent=1, sort_keys=True)
            os.chmod(tmp, 0o600)        # an older file may have had more
            os.replace(tmp, self.path)


class FakeBmc(bmc.Bmc):
    """A simulated BMC.

    Its ``handle_raw_request`` only adds logging, so commands outside the
    standard table are known to be unimplemented.

    :param authdata: as for :class:`pyghmi.ipmi.bmc.Bmc`
    :param profile: a validated profile dict
    :param port: UDP port (0: any free port)
    :param address: address to bind
    :param statefile: a :class:`StateFile` or None
    """

    def __init__(self, authdata, profile, port=623, address='127.0.0.1',
                 statefile=None, sol_command=None, trap_port=None,
                 alert_allow_remote=False, **kwargs):
        super().__init__(authdata, port=port, address=address, **kwargs,
                         bmcuuid=uuid.UUID(profile.get(
                             'guid', str(uuid.uuid4()))),
                         suites=profile.get('cipher_suites',
                                            serversession.SERVER_SUITES),
                         session_limit=profile.get('session_limit', 32),
                         ipmi20='2.0' in profile.get('ipmi_versions',
                                                     ['2.0']),
                         ipmi15='1.5' in profile.get('ipmi_versions', ()),
                         lan_parameters=_lan_parameters(profile))
        ident = profile.get('identity', {})
        self.deviceid = ident.get('device_id', 0)
        self.revision = ident.get('device_revision', 0)
        self.firmwaremajor = ident.get('firmware_major', 1)
        self.firmwareminor = ident.get('firmware_minor', 0)
        self.additionaldevices = ident.get('additional_devices', 0)
        self.mfgid = ident.get('manufacturer_id', 0)
        self.prodid = ident.get('product_id', 0)
        self.aux_firmware = bytes.fromhex(
            ident.get('aux_firmware', ''))[:4] or None
        self.soft_off = float(profile.get('soft_off_seconds', 0))
        self.statefile = statefile
        boot = profile.get('boot', {})
        state = {'power': profile.get('power', 'on'),
                 'bootdev': boot.get('device', 'default'),
                 'boot_flags': (chassis.FLAG_PERSISTENT
                                if boot.get('persistent') else 0)
                 | (chassis.FLAG_EFI if boot.get('uefi') else 0),
                 'identify': [0, 0]}
        if statefile is not None:
            state.update(statefile.get(self.port))
        self.state = state
        self.lan.load_state(state.get('lan', {}))
        self.pef.load_state(state.get('pef', {}))
        self._apply_suite_privileges()
        if state.get('users'):
            # user changes made over IPMI survive a restart
            self.users.load_state(state['users'])
            self.config.accounts = self.users.accounts()
        self.boot_flags = state['boot_flags']
        self.identify_state = tuple(state['identify'])
        # Redfish virtual media (slot -> what was inserted; no secrets)
        self.virtual_media = dict(state.get('virtual_media', {}))
        self.bios = fakebios.BiosSetup(
            profile.get('bios', {}).get('attributes', ()))
        self.bios.load_state(state.get('bios', {}))
        self.ntp = dict(state.get('ntp', {'enabled': False, 'servers': []}))
        self.location = dict(state.get('location', {}))
        self.processors = [dict(spec) for spec in
                           profile.get('processors', ())]
        self._off_at = None
        self._rebooting = False
        sol = profile.get('sol', {})
        # SOL input goes to the serial port; disabled, None: 0x81 at
        # activation
        self.iohandler = self._serial_input if sol.get('enabled', True) \
            else None
        self.sol_port = sol.get('port')
        self.serial = (serialport.ProgramPort(sol_command, self._to_console)
                       if sol_command else
                       serialport.EchoPort(self._to_console))
        self.oem_commands = [_oem_command(spec) for spec in
                             profile.get('oem_commands', ())]
        self.sensorset = fakesensors.SensorSet(profile)
        self.sel = fakesel.EventLog(profile)
        self.alerts = fakealerts.AlertSender(
            self, trap_port or pet.TRAP_PORT, alert_allow_remote)
        self.sel.on_event = self.alerts.event
        self.inventory = fakeinventory.Inventory(profile)
        records = self.sensorset.records
        records.extend(self.inventory.locators(len(records) + 1))
        self.dcmi = fakedcmi.FakeDcmi(profile, {
            sensor.rec.name: sensor.rec.record_id
            for sensor in self.sensorset.sensors.values()})
        if self.sensorset.device_sdrs:
            # Get Device ID: provides Device SDRs, no SDR repository.
            self.revision |= 0x80
            self.additionaldevices &= ~0x02

    standard_commands_only = True

    def _supports(self, netfn, cmd):
        return (netfn, cmd) in _SENSOR_COMMANDS or netfn == 0x2C or \
            any((netfn, cmd) == spec[:2] for spec in self.oem_commands) \
            or super()._supports(netfn, cmd)

    def _oem_answer(self, request, session):
        """Answer from the profile's ``oem_commands``; True when one
        matched (a silent one sends nothing, as a BMC that ignores it)."""
        data = bytes(request['data'])
        for netfn, cmd, prefix, code, response, silent in self.oem_commands:
            if (netfn, cmd) == (request['netfn'], request['command']) and \
                    data.startswith(prefix):
                if not silent:
                    session.send_ipmi_response(data=response, code=code)
                return True
        return False

    def lan_changed(self):
        """Save the LAN parameters with the rest of the state."""
        self.state['lan'] = self.lan.to_state()
        self._save()

    def pef_changed(self):
        """Save the PEF parameters with the rest of the state."""
        self.state['pef'] = self.pef.to_state()
        self._save()

    def bios_changed(self):
        """Save the BIOS settings with the rest of the state."""
        self.state['bios'] = self.bios.to_state()
        self._save()

    def _boot(self):
        # the system (re)starts: BIOS settings wait for this
        if self.bios.pending:
            self.bios.apply()
            self.bios_changed()

    def ntp_changed(self):
        """Save the NTP settings with the rest of the state."""
        self.state['ntp'] = self.ntp
        self._save()

    def location_changed(self):
        """Save the chassis' Redfish Location with the rest of the
        state."""
        self.state['location'] = self.location
        self._save()

    def media_changed(self):
        """Save the virtual media with the rest of the state."""
        self.state['virtual_media'] = self.virtual_media
        self._save()

    def users_changed(self):
        """Save the user table with the rest of the state."""
        self.state['users'] = self.users.to_state()
        self._save()

    def _save(self):
        self.state['boot_flags'] = self.boot_flags
        self.state['identify'] = list(self.identify_state)
        if self.statefile is not None:
            self.statefile.put(self.port, self.state)

    def _power(self, value):
        self._off_at = None
        self.state['power'] = value
        self._save()

    def handle_raw_request(self, request, session):
        """Log each request (at debug level), then handle it."""
        data = bytes(request['data'])
        shown = data.hex()
        if (request['netfn'], request['command']) in const.SECRET_COMMANDS:
            shown = '(%d bytes withheld: may hold a secret)' % len(data)
        LOG.debug('port %d user %s netfn 0x%02x cmd 0x%02x data %s',
                  self.port, session.username, request['netfn'],
                  request['command'], shown)
        handler = _SENSOR_COMMANDS.get((request['netfn'],
                                        request['command']))
        if self._oem_answer(request, session):
            pass
        elif request['netfn'] == 0x2C:
            code, data = self.dcmi.handle(request['command'],
                                          bytes(request['data']))
            session.send_ipmi_response(data=data, code=code)
        elif handler is not None:
            code, data = handler(self, bytes(request['data']))
            session.send_ipmi_response(data=data, code=code)
        else:
            super().handle_raw_request(request, session)
        if self._rebooting:
            # The reply went out first, as on real BMCs; now forget all.
            self._rebooting = False
            self.core.drop_all_sessions()

    def _serial_input(self, data):
        """What a SOL console types, to the fake serial port."""
        self.serial.input(data)

    def sol_activated(self):
        # a program behind the console starts with the first console
        start = getattr(self.serial, 'start', None)
        if start is not None:
            start()

    def sol_break(self):
        self.serial.brk()

    def _to_console(self, data):
        console = self.sol
        if console is not None:
            console.send_data(data)

    def is_active(self):
        # a BMC serves SOL whatever the power state
        return True

    def get_power_state(self):
        if self._off_at is not None and time.monotonic() >= self._off_at:
            self._power('off')
        return self.state['power']

    def power_on(self):
        if self.get_power_state() == 'off':
            self._boot()
        self._power('on')

    def power_off(self):
        self._power('off')

    def power_cycle(self):
        if self.get_power_state() == 'off':
            return const.CC_NOT_IN_PRESENT_STATE     # 28.3: power is off
        self._boot()
        self._power('on')

    def power_reset(self):
        if self.get_power_state() == 'off':
            return const.CC_NOT_IN_PRESENT_STATE
        self._boot()
        return None

    def pulse_diag(self):
        return None

    def power_shutdown(self):
        if self.get_power_state() == 'on':
            self._off_at = time.monotonic() + self.soft_off
        return None

    def get_boot_device(self):
        return self.state['bootdev']

    def set_boot_device(self, bootdevice):
        self.state['bootdev'] = bootdevice
        self._save()

    def identify(self, interval, force):
        self.identify_state = (interval, force)
        self._save()

    def cold_reset(self):
        """Reboot the BMC: every session is forgotten after the reply."""
        self._rebooting = True


def _lan_parameters(profile):
    """LAN parameters from the profile's ``lan`` key."""
    lan = dict({'ip': '192.0.2.10/24', 'gateway': '192.0.2.1',
                'mac': '02:00:00:00:00:01', 'source': 'static',
                'gateway_mac': '02:00:00:00:00:fe', 'vlan': None},
               **profile.get('lan', {}))
    net = ipaddress.IPv4Interface(lan['ip'])
    sources = {v.lower(): k for k, v in lanconfig.IP_SOURCES.items()}
    vlan = lan['vlan']
    return {
        lanconfig.P_IP: net.ip.packed,
        lanconfig.P_NETMASK: net.netmask.packed,
        lanconfig.P_IP_SOURCE: bytes((sources[lan['source'].lower()],)),
        lanconfig.P_MAC: bytes.fromhex(lan['mac'].replace(':', '')),
        lanconfig.P_GATEWAY: ipaddress.IPv4Address(lan['gateway']).packed,
        lanconfig.P_GATEWAY_MAC: bytes.fromhex(
            lan['gateway_mac'].replace(':', '')),
        lanconfig.P_BACKUP_GATEWAY: bytes(4),
        lanconfig.P_BACKUP_GATEWAY_MAC: bytes(6),
        lanconfig.P_VLAN: (int(vlan) | lanconfig.VLAN_ENABLED if vlan
                           else 0).to_bytes(2, 'little'),
        lanconfig.P_VLAN_PRIORITY: b'\x00',
    }


def _oem_command(spec):
    """``(netfn, command, request prefix, code, response, silent)``."""
    return (int(spec['netfn']), int(spec['command']),
            bytes.fromhex(spec.get('request', '')), int(spec.get('code', 0)),
            bytes.fromhex(spec.get('response', '')),
            bool(spec.get('silent', False)))


def _sensor(self, data, owner=0x20):
    if not data:
        return None
    return self.sensorset.sensors.get((owner, data[0]))


def _send_message(self, data):
    """Send Message (22.7) to a satellite controller: the answer comes
    back embedded in this response."""
    if len(data) < 8:
        return const.CC_DATA_LENGTH_INVALID, b''
    try:
        inner = wire.parse_message(data[1:])
    except exc.DecodeError:
        return const.CC_INVALID_DATA_FIELD, b''
    handler = _SATELLITE_COMMANDS.get((inner.netfn, inner.cmd))
    if not any(key[0] == inner.to_addr for key in self.sensorset.sensors):
        return const.CC_NAK_ON_WRITE, b''   # nobody at that address
    if handler is None:
        code, body = const.CC_INVALID_COMMAND, b''
    else:
        code, body = handler(self, inner.body, inner.to_addr)
    reply = wire.encode_response(inner, bytes((code,)) + body)
    return 0, reply


def _get_reading(self, data, owner=0x20):
    sensor = _sensor(self, data, owner)
    if sensor is None:
        return const.CC_NOT_PRESENT, b''
    return 0, sensor.reading()


def _get_thresholds(self, data, owner=0x20):
    sensor = _sensor(self, data, owner)
    if sensor is None:
        return const.CC_NOT_PRESENT, b''
    if sensor.factors is None:
        return const.CC_ILLEGAL_FOR_SENSOR, b''
    return 0, sensor.thresholds_reply()


def _get_factors(self, data):
    sensor = _sensor(self, data)
    if sensor is None or sensor.factors is None or len(data) < 2:
        return (const.CC_NOT_PRESENT if sensor is None
                else const.CC_ILLEGAL_FOR_SENSOR), b''
    return 0, bytes((0xFF,)) + sensor.factors.encode()


_SENSOR, _STORAGE = const.NETFN_SENSOR_EVENT, const.NETFN_STORAGE
_SATELLITE_COMMANDS = {
    (_SENSOR, const.CMD_GET_SENSOR_READING): _get_reading,
    (_SENSOR, const.CMD_GET_SENSOR_THRESHOLDS): _get_thresholds}

_SENSOR_COMMANDS = {
    (const.NETFN_APP, const.CMD_SEND_MESSAGE): _send_message,
    (_STORAGE, const.CMD_GET_FRU_AREA_INFO):
        lambda self, data: self.inventory.area_info(data),
    (_STORAGE, const.CMD_READ_FRU_DATA):
        lambda self, data: self.inventory.read(data),
    (_STORAGE, const.CMD_GET_SEL_INFO):
        lambda self, data: (0, self.sel.info()),
    (_STORAGE, const.CMD_RESERVE_SEL):
        lambda self, data: (0, self.sel.reserve()),
    (_STORAGE, const.CMD_GET_SEL_ENTRY):
        lambda self, data: self.sel.get_entry(data),
    (_STORAGE, const.CMD_ADD_SEL_ENTRY):
        lambda self, data: self.sel.add_entry(data),
    (_STORAGE, const.CMD_CLEAR_SEL): lambda self, data: self.sel.clear(data),
    (_STORAGE, const.CMD_GET_SEL_TIME):
        lambda self, data: self.sel.get_time(data),
    (_STORAGE, const.CMD_SET_SEL_TIME):
        lambda self, data: self.sel.set_time_command(data),
    (_SENSOR, const.CMD_PLATFORM_EVENT):
        lambda self, data: self.sel.platform_event(data),
    (_STORAGE, const.CMD_GET_SDR_REPOSITORY_INFO):
        lambda self, data: (0, self.sensorset.repository_info()),
    (_STORAGE, const.CMD_RESERVE_SDR_REPOSITORY):
        lambda self, data: (0, self.sensorset.reserve()),
    (_STORAGE, const.CMD_GET_SDR):
        lambda self, data: self.sensorset.get_sdr(data),
    (_SENSOR, const.CMD_GET_DEVICE_SDR_INFO):
        lambda self, data: (0, self.sensorset.device_sdr_info()),
    (_SENSOR, const.CMD_GET_DEVICE_SDR):
        lambda self, data: self.sensorset.get_sdr(data),
    (_SENSOR, const.CMD_RESERVE_DEVICE_SDR):
        lambda self, data: (0, self.sensorset.reserve()),
    (_SENSOR, const.CMD_GET_SENSOR_READING): _get_reading,
    (_SENSOR, const.CMD_GET_SENSOR_THRESHOLDS): _get_thresholds,
    (_SENSOR, const.CMD_GET_SENSOR_READING_FACTORS): _get_factors,
}
