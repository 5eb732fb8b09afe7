"""pyghmi's Redfish ``Command``: the same method names and result shapes
as the IPMI one, over HTTPS/Redfish.

This is the first part of the client (issue 27): the constructor of
pyghmi 1.6.19 (``verifycallback`` pinning included), the login and
logout, power, boot device, identify, health, sensors, the event log,
firmware, users, the BMC's network configuration and NTP.  Its requests go
through one pool of kept-alive connections
(:mod:`pyghmi.redfish.client.transport`) and a read cache that the
client's own writes invalidate (:mod:`pyghmi.redfish.client.connection`).
"""

import datetime
import ipaddress
import posixpath
import re
import time
import typing

from pyghmi import constants as const
from pyghmi import exceptions as exc
from pyghmi.redfish.client import connection as rfconnection
from pyghmi.redfish.client import transport as rftransport

# pyghmi's power request -> ResetType
POWER_REQUESTS = {
    'on': 'On', 'off': 'ForceOff', 'softoff': 'GracefulShutdown',
    'shutdown': 'GracefulShutdown', 'reset': 'ForceRestart', 'boot': None,
}
# BootSourceOverrideTarget -> pyghmi's boot device name
BOOT_DEVICES_READ = {
    'BiosSetup': 'setup', 'Cd': 'optical', 'Floppy': 'floppy', 'Hdd': 'hd',
    'None': 'default', 'Pxe': 'network', 'Usb': 'usb', 'SDCard': 'sdcard',
    'UefiHttp': 'http',
}
# pyghmi's boot device names (and their aliases) -> the target
BOOT_DEVICES_WRITE = {
    'net': 'Pxe', 'network': 'Pxe', 'pxe': 'Pxe', 'http': 'UefiHttp',
    'hd': 'Hdd', 'usb': 'Usb', 'cd': 'Cd', 'cdrom': 'Cd', 'optical': 'Cd',
    'dvd': 'Cd', 'floppy': 'Floppy', 'default': 'None', 'setup': 'BiosSetup',
    'bios': 'BiosSetup', 'f1': 'BiosSetup',
}
HEALTH = {'Critical': const.Health.Critical,
          'Unknown': const.Health.Warning,
          'Warning': const.Health.Warning, 'OK': const.Health.Ok,
          None: const.Health.Ok}
IDENTIFY_STATES = {'Blinking': 'blink', 'Lit': 'on', 'Off': 'off'}
# ReadingUnits -> pyghmi's units text
UNITS = {'Cel': '°C', 'cft_i/min': 'CFM'}
# Thermal/Power arrays -> (sensor type, reading property, units)
LEGACY_READINGS = {
    'Fans': ('Fan', 'Reading', None),
    'Temperatures': ('Temperature', 'ReadingCelsius', '°C'),
    'Voltages': ('Voltage', 'ReadingVolts', 'V'),
}
POWER_WAIT = 300.0            # seconds set_power(wait=True) waits at most
# SoftwareInventory Status.State -> pyghmi's firmware state
FIRMWARE_STATES = {'StandbyOffline': 'pending', 'Enabled': 'active',
                   'StandbySpare': 'backup'}
# A BMC clock this close to ours is taken as right: its DateTime has a
# resolution of a second, and the request took some time.
CLOCK_NOISE = datetime.timedelta(seconds=2)


class SensorReading:
    """A sensor reading, or an unhealthy component of
    ``get_health()['badreadings']``, with pyghmi's attributes (``name``,
    ``health``, ``states``, ``value``, ``units``, ``imprecision``,
    ``state_ids``, ``unavailable``).

    :param info: the Redfish object it describes (its Name and Status)
    :param value: the reading, or None
    :param units: pyghmi's units text ('°C', 'V', 'RPM'...)
    """

    def __init__(self, info, value=None, units=None, unavailable=False):
        health = info.get('Status', {}).get('Health')
        self.name = info.get('Name', '')
        self.health = HEALTH.get(health, const.Health.Warning)
        self.states = [] if self.health == const.Health.Ok else [
            health or 'Unknown']
        self.value = value
        self.state_ids = None
        self.imprecision = None
        self.units = units
        self.unavailable = unavailable

    def __repr__(self):
        # (the attributes above and the keys of this text are pyghmi's:
        # callers read them)
        return repr({'value': self.value, 'state_ids': self.state_ids,
                     'units': self.units, 'imprecision': self.imprecision,
                     'name': self.name, 'unavailable': self.unavailable})


class Command:
    """A Redfish BMC, as pyghmi 1.6.19's ``redfish.command.Command``.

    :param bmc: the BMC's name or address
    :param userid: user name
    :param password: password
    :param verifycallback: ``callable(der_bytes) -> bool`` accepting the
        BMC's certificate (pinning); a false value checks it against the
        system's CAs and the host name
    :param sysurl: the system's URI or id, when the BMC manages several
    :param bmcurl: the manager's URI
    :param chassisurl: the chassis' URI
    :param pool: kept for pyghmi's signature (requests go through one
        connection pool whatever it is)
    :param port: the HTTPS port
    :raises UnrecognizedCertificate: the callback refused the certificate
    :raises PyghmiException: no Redfish service, or the login failed
    """

    def __init__(self, bmc, userid, password, verifycallback, sysurl=None,
                 bmcurl=None, chassisurl=None, pool=None, port=443):
        if not bmc or not isinstance(bmc, str):
            raise exc.InvalidParameterValue('bmc: a host name or address')
        if not isinstance(port, int) or not 0 < port < 65536:
            raise exc.InvalidParameterValue('port: 1-65535, not %r'
                                            % (port,))
        self.bmc = bmc
        self.transport = rftransport.Transport(bmc, port, verifycallback)
        self.conn = rfconnection.Connection(self.transport, userid, password)
        root = self.conn.root
        if 'Systems' not in root and 'Managers' not in root:
            self.conn.logout()
            raise exc.PyghmiException('Redfish not ready')
        self.sysurl = self._member(root, 'Systems', sysurl)
        self._bmcurl = bmcurl or self._member(root, 'Managers', None)
        self._chassisurl = chassisurl
        self._sensors: typing.Optional[typing.Dict[str, dict]] = None
        self.powerurl = None
        if self.sysurl:
            self.powerurl = self.sysinfo.get('Actions', {}).get(
                '#ComputerSystem.Reset', {}).get('target')

    def _member(self, root, collection, wanted):
        """The one member of a root collection (or the one ``wanted``
        names by URI or id)."""
        uri = root.get(collection, {}).get('@odata.id')
        if not uri:
            return None
        members = [m['@odata.id'] for m in
                   self.conn.get(uri).get('Members', [])]
        if wanted:
            for member in members:
                if wanted in (member, member.rstrip('/').split('/')[-1]):
                    return member
            raise exc.PyghmiException('Specified sysurl not found: %s'
                                      % wanted)
        if len(members) > 1:
            members = [m for m in members if 'DPU' not in m]
        if len(members) > 1:
            raise exc.PyghmiException(
                'Multi system manager, sysurl is required parameter')
        return members[0] if members else None

    @property
    def sysinfo(self):
        """The ComputerSystem resource (cached for 30 s)."""
        if not self.sysurl:
            return {}
        return self.conn.get(self.sysurl)

    def logout(self):
        """End the Redfish session and close the connections."""
        self.conn.logout()
        return {'success': True}

    # ------------------------------------------------------------- power
    def get_power(self):
        """``{'powerstate': 'on' | 'off'}``, read fresh."""
        info = self.conn.get(self.sysurl, cache=False)
        return {'powerstate': str(info['PowerState'].lower())}

    def set_power(self, powerstate, wait=False):
        """Change the power state: 'on', 'off', 'softoff' / 'shutdown',
        'reset', 'boot' (on if off, else reset).

        :param wait: wait (up to 300 s) for 'on' or 'off' to be reached
        :returns: ``{'powerstate': ...}`` when already there or waited,
            else ``{'pendingpowerstate': ...}``
        :raises InvalidParameterValue: an unknown power state
        """
        if powerstate not in POWER_REQUESTS:
            raise exc.InvalidParameterValue(
                'Unknown power state %s requested' % powerstate)
        if powerstate == 'boot':
            current = self.get_power()['powerstate']
            powerstate = 'on' if current == 'off' else 'reset'
        elif powerstate in ('on', 'off'):
            if self.get_power()['powerstate'] == powerstate:
                return {'powerstate': powerstate}
        self.conn.write('POST', self.powerurl,
                        {'ResetType': POWER_REQUESTS[powerstate]})
        if wait and powerstate in ('on', 'off', 'softoff', 'shutdown'):
            wanted = 'off' if powerstate in ('softoff', 'shutdown') \
                else powerstate
            deadline = time.monotonic() + POWER_WAIT
            while self.get_power()['powerstate'] != wanted:
                if time.monotonic() > deadline:
                    raise exc.PyghmiException(
                        'System did not accomplish power state change')
                time.sleep(1)
            return {'powerstate': wanted}
        return {'pendingpowerstate': powerstate}

    # -------------------------------------------------------------- boot
    def get_bootdev(self):
        """The boot override: ``{'bootdev', 'persistent', 'uefimode'}``,
        or ``{'bootdev': 'default', 'persistent': True}`` when none.

        :raises PyghmiException: a state or target pyghmi does not know
        """
        boot = self.conn.get(self.sysurl).get('Boot', {})
        state = boot.get('BootSourceOverrideEnabled')
        if state == 'Disabled':
            return {'bootdev': 'default', 'persistent': True}
        if state not in ('Once', 'Continuous'):
            raise exc.PyghmiException('Unrecognized Boot state: %r' % state)
        mode = boot.get('BootSourceOverrideMode')
        if mode not in ('UEFI', 'Legacy'):
            raise exc.PyghmiException('Unrecognized mode: %s' % mode)
        target = boot.get('BootSourceOverrideTarget')
        if target not in BOOT_DEVICES_READ:
            raise exc.PyghmiException('Unrecognized boot target: %r'
                                      % target)
        return {'bootdev': BOOT_DEVICES_READ[target],
                'persistent': state == 'Continuous',
                'uefimode': mode == 'UEFI'}

    def set_bootdev(self, bootdev, persist=False, uefiboot=None):
        """Boot ``bootdev`` next ('network', 'hd', 'optical', 'setup',
        'default'... or a Redfish target name), every time with
        ``persist``; ``uefiboot`` True/False asks UEFI/Legacy, None UEFI.

        :returns: ``{'bootdev': bootdev}``
        :raises InvalidParameterValue: an unknown device
        """
        if bootdev not in BOOT_DEVICES_WRITE and \
                bootdev not in BOOT_DEVICES_READ:
            raise exc.InvalidParameterValue('Unsupported device %r'
                                            % (bootdev,))
        target = BOOT_DEVICES_WRITE.get(bootdev, bootdev)
        if target == 'UefiHttp' and target not in self.sysinfo.get(
                'Boot', {}).get(
                    'BootSourceOverrideTarget@Redfish.AllowableValues', []):
            target = 'Pxe'
        if target == 'None':
            payload = {'BootSourceOverrideEnabled': 'Disabled'}
        else:
            payload = {'BootSourceOverrideEnabled':
                       'Continuous' if persist else 'Once',
                       'BootSourceOverrideTarget': target,
                       'BootSourceOverrideMode':
                       'Legacy' if uefiboot is False else 'UEFI'}
        self.conn.write('PATCH', self.sysurl, {'Boot': payload})
        return {'bootdev': bootdev}

    # ---------------------------------------------------------- identify
    def get_identify(self):
        """``{'identifystate': 'on' | 'off' | 'blink'}``."""
        return {'identifystate': IDENTIFY_STATES[
            self.conn.get(self.sysurl, cache=False)['IndicatorLED']]}

    def set_identify(self, on=True, blink=None):
        """Light the identify LED (``on``), blink it, or turn it off."""
        self.conn.write('PATCH', self.sysurl, {
            'IndicatorLED': 'Blinking' if blink else 'Lit' if on
            else 'Off'})

    # ------------------------------------------------------------ health
    def get_health(self, verbose=True):
        """``{'health': pyghmi.constants.Health, 'badreadings': [...]}``
        from the system's status; with ``verbose``, the processors,
        memory and PCIe devices that are not OK when it is not."""
        info = self.sysinfo
        status = info.get('Status', {})
        state = status.get('HealthRollup', status.get('Health', 'Unknown'))
        health = HEALTH.get(state, const.Health.Warning)
        bad = []
        if health and verbose:
            for collection in ('Processors', 'Memory'):
                uri = info.get(collection, {}).get('@odata.id')
                bad.extend(self._unhealthy(uri))
            for link in info.get('PCIeDevices', []):
                bad.extend(self._unhealthy_member(link.get('@odata.id')))
        if state == 'Unknown' and not bad:
            unknown = SensorReading({'Name': 'BMC',
                                     'Status': {'Health': 'Unknown'}})
            unknown.states = ['System does not provide health information']
            bad.append(unknown)
        return {'badreadings': bad, 'health': health}

    def _unhealthy(self, uri):
        if not uri:
            return []
        out = []
        for member in self.conn.get(uri).get('Members', []):
            out.extend(self._unhealthy_member(member.get('@odata.id')))
        return out

    def _unhealthy_member(self, uri):
        if not uri:
            return []
        info = self.conn.get(uri)
        status = info.get('Status', {})
        if status.get('State') == 'Absent' or \
                status.get('Health') in ('OK', None):
            return []
        return [SensorReading(info)]

    # ----------------------------------------------------------- sensors
    @property
    def _sensormap(self):
        """name -> {'name', 'type', 'url'[, 'generic']}: the Sensors of
        the system's chassis (and the chassis they contain), else their
        Thermal and Power readings."""
        if self._sensors is None:
            self._sensors = {}
            chassis = self.sysinfo.get('Links', {}).get('Chassis', [])
            if not chassis:
                chassis = self._single_chassis()
            for link in chassis:
                self._map_chassis(link['@odata.id'])
        return self._sensors

    def _single_chassis(self):
        uri = self.conn.root.get('Chassis', {}).get('@odata.id')
        members = self.conn.get(uri).get('Members', []) if uri else []
        return members if len(members) == 1 else []

    def _map_chassis(self, uri):
        info = self.conn.get(uri)
        sensors = info.get('Sensors', {}).get('@odata.id')
        if sensors:
            for member in self.conn.get(sensors).get('Members', []):
                data = self.conn.get(member['@odata.id'])
                if 'Name' in data:
                    self._sensormap_set(data['Name'], {
                        'name': data['Name'],
                        'type': data.get('ReadingType', 'Unknown'),
                        'url': member['@odata.id'], 'generic': True})
        else:
            for kind in ('Power', 'Thermal'):
                self._map_legacy(info.get(kind, {}).get('@odata.id'))
        for inner in info.get('Links', {}).get('Contains', []):
            self._map_chassis(inner['@odata.id'])

    def _map_legacy(self, uri):
        if not uri:
            return
        data = self.conn.get(uri)
        for group, (kind, _, _) in LEGACY_READINGS.items():
            for item in data.get(group, []):
                if 'Name' in item:
                    self._sensormap_set(item['Name'], {
                        'name': item['Name'], 'type': kind, 'url': uri})

    def _sensormap_set(self, name, sensor):
        if self._sensors is not None:
            self._sensors[name] = sensor

    def get_sensor_descriptions(self):
        """``{'name', 'type', 'url'...}`` of each sensor, in natural
        order of names."""
        for name in _natural(self._sensormap):
            yield self._sensormap[name]

    def get_sensor_reading(self, sensorname):
        """The :class:`SensorReading` of sensor ``sensorname``.

        :raises InvalidParameterValue: no such sensor
        """
        sensor = self._sensormap.get(sensorname)
        if sensor is None:
            raise exc.InvalidParameterValue('Sensor not found: %r'
                                            % (sensorname,))
        data = self.conn.get(sensor['url'], cache=False)
        if sensor.get('generic'):
            value = data.get('Reading')
            units = data.get('ReadingUnits')
            return SensorReading(data, value, UNITS.get(units, units),
                                 value is None)
        for group, (kind, key, units) in LEGACY_READINGS.items():
            if kind != sensor['type']:
                continue
            for item in data.get(group, []):
                if item.get('Name') == sensor['name']:
                    value = item.get(key)
                    return SensorReading(
                        item, value, units or item.get('ReadingUnits'),
                        value is None)
        raise exc.PyghmiException('Sensor %r has no reading' % sensorname)

    def get_sensor_data(self):
        """Every sensor's :class:`SensorReading`, in natural order."""
        for name in _natural(self._sensormap):
            yield self.get_sensor_reading(name)

    # --------------------------------------------------------- event log
    def get_event_log(self, clear=False):
        """The manager's log entries, oldest first per log, as pyghmi's
        dicts: ``log_id`` (the log service's Id), ``timestamp`` (local
        time, corrected by how far the BMC's clock is off ours),
        ``message`` and ``severity`` (pyghmi.constants.Health).

        :param clear: clear each log (ClearLog) once its entries are read
        """
        manager = self.conn.get(self._bmcurl) if self._bmcurl else {}
        services = manager.get('LogServices', {}).get('@odata.id')
        if not services:
            return
        skew = _clock_skew(manager.get('DateTime'))
        for link in self.conn.get(services).get('Members', []):
            uri = link['@odata.id']
            try:
                info = self.conn.get(uri, cache=not clear)
            except exc.PyghmiException:
                yield {'log_id': posixpath.basename(uri.rstrip('/')),
                       'message': 'Could not retrieve log at %s' % uri,
                       'severity': const.Health.Ok,
                       'timestamp': datetime.datetime.now().strftime(
                           '%Y-%m-%dT%H:%M:%S')}
                continue
            entries = info.get('Entries', {}).get('@odata.id')
            if not entries:
                continue
            members = self.conn.get(entries, cache=False).get('Members', [])
            if clear:
                self._clear_log(uri)
            for entry in members:
                record = self._log_record(info.get('Id', ''), entry, skew)
                if record is not None:
                    yield record

    def _clear_log(self, uri):
        target = self.conn.get(uri, cache=False).get('Actions', {}).get(
            '#LogService.ClearLog', {}).get('target')
        if target:
            self.conn.write('POST', target, {})

    def _log_record(self, log_id, entry, skew):
        if set(entry) <= {'@odata.id'} and entry.get('@odata.id'):
            entry = self.conn.get(entry['@odata.id'])   # not expanded
        if not {'Created', 'Message', 'Severity'} & set(entry):
            return None          # nothing a reader could act on
        when = _parse_time(entry.get('Created', '')) or \
            _parse_time(entry.get('EventTimestamp', ''))
        if when is not None:
            stamp = (when + skew).astimezone().strftime('%Y-%m-%dT%H:%M:%S')
        else:
            stamp = entry.get('Created', '')
        return {'log_id': log_id, 'timestamp': stamp,
                'message': entry.get('Message'),
                'severity': HEALTH.get(entry.get('Severity', 'Warning'),
                                       const.Health.Ok)}

    # --------------------------------------------------------- firmware
    def get_firmware(self, components=(), category=None):
        """``(name, info)`` of each firmware of the UpdateService's
        inventory: ``info`` has ``name``, ``id``, ``version``, ``date``
        (a datetime, or None), ``software_id`` and ``state`` ('active',
        'pending', 'backup').

        :raises UnsupportedFunctionality: no firmware inventory
        """
        service = self.conn.root.get('UpdateService', {}).get('@odata.id')
        inventory = self.conn.get(service).get(
            'FirmwareInventory', {}).get('@odata.id') if service else None
        if not inventory:
            raise exc.UnsupportedFunctionality(
                'BMC does not implement extended firmware information')
        seen: typing.Set[str] = set()
        for link in self.conn.get(inventory).get('Members', []):
            name, info = _firmware_info(self.conn.get(link['@odata.id']),
                                        seen)
            if name is not None:
                yield name, info

    # ------------------------------------------------------------- users
    def get_users(self):
        """``{id: {'name', 'uid', 'expiration', 'access':
        {'privilege_level': role}}}`` of the accounts that have a
        name."""
        names: typing.Dict[str, dict] = {}
        service = self.conn.root.get('AccountService', {}).get('@odata.id')
        if not service:
            return names
        accounts = self.conn.get(service).get('Accounts', {}).get(
            '@odata.id')
        if not accounts:
            return names
        for link in self.conn.get(accounts).get('Members', []):
            info = self.conn.get(link['@odata.id'])
            if info.get('UserName'):
                names[info.get('Id')] = {
                    'name': info['UserName'], 'uid': info.get('Id'),
                    'expiration': None,
                    'access': {'privilege_level':
                               info.get('RoleId', 'Unknown')}}
        return names

    # ----------------------------------------------------------- network
    def _nic_url(self, name=None):
        manager = self.conn.get(self._bmcurl) if self._bmcurl else {}
        nics = manager.get('EthernetInterfaces', {}).get('@odata.id')
        if not nics:
            raise exc.UnsupportedFunctionality(
                'The BMC lists no network interface')
        found = []
        for link in self.conn.get(nics).get('Members', []):
            uri = link.get('@odata.id')
            if not uri:
                continue
            if name is not None:
                if uri.endswith('/%s' % name):
                    return uri
                continue
            info = self.conn.get(uri)
            if info.get('Links', {}).get('HostInterface'):
                continue          # the host's interface, not the BMC's
            found.append(uri)
        if name is not None:
            raise exc.InvalidParameterValue('name: no interface %r' % name)
        if len(found) != 1:
            raise exc.PyghmiException(
                'Multiple network interfaces: name is required'
                if found else 'The BMC lists no network interface')
        return found[0]

    def get_net_configuration(self, name=None):
        """The BMC's IPv4 settings: ``ipv4_address`` (address/prefix),
        ``mac_address``, ``ipv4_gateway``, ``ipv4_configuration``
        ('Static', 'DHCP'...), ``vlan_id`` (an id or 'off').

        :param name: the interface's id, when the BMC has several
        """
        nic = self.conn.get(self._nic_url(name), cache=False)
        addresses = nic.get('IPv4Addresses') or []
        if len(addresses) != 1:
            addresses = [a for a in addresses
                         if a.get('Address') != '0.0.0.0']
        if not addresses:
            raise exc.PyghmiException('Unable to locate network information')
        if len(addresses) != 1:
            raise exc.PyghmiException('Multiple IP addresses not supported')
        current = addresses[0]
        gateway = current.get('Gateway')
        vlan = nic.get('VLAN', {})
        return {
            'ipv4_address': '%s/%d' % (current['Address'],
                                       _prefix(current['SubnetMask'])),
            'mac_address': nic.get('MACAddress'),
            'ipv4_gateway': gateway if gateway and _prefix(gateway) else None,
            'ipv4_configuration': current.get('AddressOrigin'),
            'vlan_id': vlan.get('VLANId') if vlan.get('VLANEnable')
            else 'off'}

    # --------------------------------------------------------------- NTP
    def _protocol_url(self):
        manager = self.conn.get(self._bmcurl) if self._bmcurl else {}
        return manager.get('NetworkProtocol', {}).get('@odata.id')

    def get_ntp_enabled(self):
        """Whether the BMC's NTP client is on (False when it has none)."""
        uri = self._protocol_url()
        if not uri:
            return False
        return self.conn.get(uri).get('NTP', {}).get('ProtocolEnabled',
                                                     False)

    def set_ntp_enabled(self, enable):
        """Turn the BMC's NTP client on or off."""
        uri = self._protocol_url()
        if uri:
            self.conn.write('PATCH', uri,
                            {'NTP': {'ProtocolEnabled': bool(enable)}})

    def get_ntp_servers(self):
        """The NTP servers (a new list each call)."""
        uri = self._protocol_url()
        if not uri:
            return []
        return list(self.conn.get(uri).get('NTP', {}).get('NTPServers', []))

    def set_ntp_server(self, server, index=None):
        """Put ``server`` first (``index`` None: unless listed already),
        or at ``index`` (appended past the end); an empty ``server``
        removes the one at ``index``."""
        uri = self._protocol_url()
        servers = self.get_ntp_servers()
        if index is None:
            if server in servers:
                return
            servers.insert(0, server)
        elif index >= len(servers):
            if not server:
                return
            servers.append(server)
        elif server:
            servers[index] = server
        else:
            del servers[index]
        if uri:
            self.conn.write('PATCH', uri, {'NTP': {'NTPServers': servers}})


def _firmware_info(info, seen):
    """``(name, dict)`` of one SoftwareInventory, or ``(None, None)``
    without a version or a date."""
    name = info.get('Name', 'Unknown')
    if name in seen:
        name = info.get('Id', name)
    seen.add(name)
    out = {'name': name, 'id': info.get('Id'),
           'version': info.get('Version', 'Unknown'),
           'date': _parse_time(info.get('ReleaseDate', '')),
           'software_id': info.get('SoftwareId', '')}
    if not (out['version'] or out['date']):
        return None, None
    state = FIRMWARE_STATES.get(info.get('Status', {}).get('State'))
    if state:
        out['state'] = state
    return name, out


def _prefix(mask):
    """The prefix length of a dotted IPv4 mask (leading one bits)."""
    try:
        value = int(ipaddress.IPv4Address(mask))
    except (ipaddress.AddressValueError, ValueError):
        raise exc.PyghmiException('Unrecognized address %r' % (mask,))
    prefix = 32
    while prefix and not value & 1:
        value >>= 1
        prefix -= 1
    return prefix


def _parse_time(text):
    """An ISO 8601 time with its offset (UTC when none), or None."""
    if not isinstance(text, str) or not text:
        return None
    try:
        when = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when


def _clock_skew(bmc_now):
    """How far the BMC's clock is behind ours (a timedelta), zero when
    within :data:`CLOCK_NOISE` or unknown."""
    when = _parse_time(bmc_now)
    if when is None:
        return datetime.timedelta(0)
    skew = datetime.datetime.now(datetime.timezone.utc) - when
    return skew if abs(skew) > CLOCK_NOISE else datetime.timedelta(0)


def _natural(names):
    """``names`` sorted as people read numbers in them (Fan2 < Fan10)."""
    def key(name):
        return [int(part) if part.isdigit() else part.lower()
                for part in re.split('([0-9]+)', name)]
    try:
        return sorted(names, key=key)
    except TypeError:
        return sorted(names)
