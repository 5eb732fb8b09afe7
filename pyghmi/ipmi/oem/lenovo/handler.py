"""The Lenovo vendor handler: what Lenovo BMCs offer over plain IPMI.

Serves IANA 19046 (Lenovo), 20301 (IBM System x, now Lenovo) and 7154,
as pyghmi 1.6.19 maps them.  The controller is told apart on first need,
with probes that never fail the Command (``retry=False``; any error
means "not this kind"):

* ThinkServer TSM (19046, device id 32, netfn 3Ah command 0Fh
  answered): firmware table, BIOS versions, LEDs, PSU power capping,
  remote KVM state, NTP, DNS domain, IPv6 address, user rights
  (:mod:`.tsm`);
* AMI (SD350) and ASRock Rack (RS160, TS460) ThinkServers, known by
  product id and a probe: their LED commands, firmware, NTP;
* NextScale FPC / SMM / SMMv2, known by their ids: OEM sensors,
  firmware, factory reset (:mod:`.nextscale`);
* IMM / XCC (netfn 3Ah command C1h says so): the firmware IPMI reaches
  (:mod:`.imm`), an XCC's factory reset; their other features are HTTPS
  services, outside this package: those methods raise
  UnsupportedFunctionality saying so;
* every kind: inventory components and FRU refinements
  (:mod:`.components`), OEM SEL records (:mod:`.sel`); anything else
  gets the generic answers.
"""

from pyghmi import exceptions as exc
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.oem.lenovo import components
from pyghmi.ipmi.oem.lenovo import energy
from pyghmi.ipmi.oem.lenovo import imm
from pyghmi.ipmi.oem.lenovo import nextscale
from pyghmi.ipmi.oem.lenovo import sel as lenovosel
from pyghmi.ipmi.oem.lenovo import tsm
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.server import lanconfig

# Keys served (lookup registers them).
LENOVO, IBM_X86, LENOVO_7154 = tsm.LENOVO, 20301, 7154
device_type_supported = (LENOVO, IBM_X86, LENOVO_7154)
TSM_DEVICE_ID = 32
_WEB_ONLY = ('%s needs the HTTPS services of this Lenovo %s, which '
             'this package does not use (IPMI only)')


class OEMHandler(components.Components):
    """Lenovo controllers (see the module text)."""

    def __init__(self, oemid, ipmicmd):
        super().__init__(oemid, ipmicmd)
        self._kind = None
        self._inventory = None
        self._energy = None

    def _probe(self, netfn, command, data=b''):
        """The answer data of a probe, or None when it is refused or
        unanswered (a probe never raises)."""
        try:
            return self.ipmicmd.xraw_command(netfn, command, data=data,
                                             retry=False)['data']
        except exc.IpmiException:
            return None

    @property
    def kind(self):
        """'tsm', 'xcc', 'imm' or 'other' (probed once)."""
        if self._kind is None:
            self._kind = self._detect()
        return self._kind

    def _detect(self):
        caps = self._probe(tsm.NETFN_LENOVO, tsm.CMD_IMM_PROBE)
        if caps is not None and len(caps) == 3:
            if caps[1] & 0x10:
                return 'xcc'
            if caps[1] & 0x01:
                return 'imm'
        oemid = self.oemid or {}
        if nextscale.variant(oemid) is not None:
            return 'nextscale'
        if oemid.get('manufacturer_id') == LENOVO and \
                oemid.get('device_id') == TSM_DEVICE_ID and \
                self._probe(tsm.NETFN_LENOVO, tsm.CMD_TSM_PROBE) is not None:
            return 'tsm'
        if oemid.get('manufacturer_id') == LENOVO:
            product = oemid.get('product_id')
            if product == tsm.AMI_PRODUCT:
                ami = self._probe(tsm.NETFN_LENOVO, tsm.CMD_AMI_PROBE)
                if ami and ami[0] < 5:
                    return 'ami'
            if product in tsm.ASROCK_PRODUCTS and self._probe(
                    tsm.NETFN_LENOVO, tsm.CMD_ASROCK,
                    tsm.ASROCK_PROBE) is not None:
                return 'asrock'
        return 'other'

    @property
    def is_fpc(self):
        """The NextScale variant (6: FPC; 2, 22h, 26h: SMM, SMMv2), or
        None for other controllers (pyghmi 1.6.19's name)."""
        if self.kind != 'nextscale':
            return None
        return nextscale.variant(self.oemid)

    @property
    def _tsm_family(self):
        """TSM, or the AMI / ASRock ThinkServers that share its NTP
        commands."""
        return self.kind in ('tsm', 'ami', 'asrock')

    @property
    def has_tsm(self):
        """True for a ThinkServer TSM controller."""
        return self.kind == 'tsm'

    # pyghmi 1.6.19's names for the other kinds, for callers that look
    @property
    def has_imm(self):
        """True for an IMM or an XCC."""
        return self.kind in ('imm', 'xcc')

    @property
    def has_xcc(self):
        """True for an XCC."""
        return self.kind == 'xcc'

    @property
    def has_ami(self):
        """True for an AMI based ThinkServer (SD350)."""
        return self.kind == 'ami'

    @property
    def has_asrock(self):
        """True for an ASRock Rack based ThinkServer (RS160, TS460)."""
        return self.kind == 'asrock'

    @property
    def is_sd350(self):
        """True when Get Device ID names an SD350 (no probe)."""
        oemid = self.oemid or {}
        return (oemid.get('manufacturer_id'), oemid.get('device_id'),
                oemid.get('product_id')) == (LENOVO, TSM_DEVICE_ID,
                                             tsm.AMI_PRODUCT)

    @property
    def isTS460(self):  # noqa: N802 - pyghmi 1.6.19's name
        """True when Get Device ID names a TS460."""
        return (self.oemid or {}).get('product_id') == tsm.TS460_PRODUCT

    def _web_only(self, feature):
        if self.has_imm:
            return exc.UnsupportedFunctionality(_WEB_ONLY % (feature,
                                                             'IMM/XCC'))
        if self.is_fpc:
            return exc.UnsupportedFunctionality(_WEB_ONLY % (
                feature, 'enclosure manager (FPC/SMM)'))
        return self.unsupported(feature)

    @property
    def _web_managed(self):
        """True where pyghmi 1.6.19 reached the BMC's settings over
        HTTPS: XCC, FPC and SMM."""
        return self.kind == 'xcc' or bool(self.is_fpc)

    # -------------------------------------------------------- BMC settings
    def get_bmc_configuration(self):
        """XCC, FPC, SMM: an HTTPS service; elsewhere {}."""
        if self._web_managed:
            raise self._web_only('BMC configuration')
        return super().get_bmc_configuration()

    def set_bmc_configuration(self, changeset):
        """XCC, FPC, SMM: an HTTPS service; elsewhere unsupported."""
        if self._web_managed:
            raise self._web_only('BMC configuration')
        return super().set_bmc_configuration(changeset)

    def get_extended_bmc_configuration(self, hideadvanced=True):
        """XCC: its settings files are not read here; elsewhere {}."""
        if self.kind == 'xcc':
            raise exc.UnsupportedFunctionality(
                'Extended settings of this Lenovo XCC travel as compressed '
                'XML files over its OEM file protocol, which this package '
                'does not implement')
        return super().get_extended_bmc_configuration(hideadvanced)

    def clear_bmc_configuration(self):
        """XCC: factory settings (2Eh CCh); FPC/SMM: 32h ADh (both as
        pyghmi 1.6.19 asks); elsewhere UnsupportedFunctionality."""
        if self.is_fpc:
            self.ipmicmd.xraw_command(nextscale.NETFN_FPC,
                                      nextscale.CMD_FACTORY_RESET)
            return None
        if self.kind != 'xcc':
            return super().clear_bmc_configuration()
        self.ipmicmd.xraw_command(imm.NETFN_OEM_GROUP, imm.CMD_FACTORY_RESET,
                                  data=imm.FACTORY_RESET_REQUEST)
        return None

    def get_update_status(self):
        """'ready' on an FPC or SMM (pyghmi 1.6.19's constant answer);
        elsewhere unsupported (XCC: an HTTPS service)."""
        if self.is_fpc:
            return 'ready'
        if self.kind == 'xcc':
            raise self._web_only('Firmware update status')
        return super().get_update_status()

    # ------------------------------------------------------------ firmware
    def get_oem_firmware(self, bmcver, components, category):
        """TSM: every entry of the firmware table (text versions), then
        the BIOS bundle and current image versions (AMI SD350: the table
        only); ASRock: the BMC version and the BIOS version (raw bytes);
        NextScale FPC/SMM: the controller (version and build) and its
        PSOC; IMM/XCC: what IPMI reaches of their list (:mod:`.imm`);
        others: generic."""
        if self.is_fpc:
            yield from nextscale.firmware(bmcver, self.is_fpc,
                                          self._fpc_build())
            return
        if self.kind == 'asrock':
            yield from self._asrock_firmware()
            return
        if self.kind == 'ami':
            yield from self._firmware_table()
            return
        if self.has_imm:
            yield from imm.firmware(self.kind, bmcver, components, category,
                                    self._ask)
            return
        if not self.has_tsm:
            yield from super().get_oem_firmware(bmcver, components,
                                                category)
            return
        yield from self._firmware_table()
        bios = self.ipmicmd.xraw_command(
            tsm.NETFN_AMI, tsm.CMD_BIOS_VERSION,
            data=tsm.BIOS_VERSION_REQUEST)['data']
        bundle, current = tsm.decode_bios_versions(bios)
        yield 'Bios_bundle_ver', {'version': bundle}
        yield 'Bios_current_ver', {'version': current}

    def _ask(self, netfn, command, data):
        return bytes(self.ipmicmd.xraw_command(netfn, command,
                                               data=data)['data'])

    def _firmware_table(self):
        data = self.ipmicmd.xraw_command(
            0x06, 0x59, data=tsm.FIRMWARE_REQUEST)['data']
        for name, version in tsm.decode_firmware(data):
            yield name, {'version': version}

    def _asrock_firmware(self):
        data = self.ipmicmd.xraw_command(
            tsm.NETFN_LENOVO, tsm.CMD_ASROCK,
            data=tsm.ASROCK_BMC_VERSION)['data']
        yield 'BMC', {'version': tsm.decode_asrock_bmc_version(data)}
        bios = self.ipmicmd.xraw_command(
            tsm.NETFN_LENOVO, tsm.CMD_ASROCK,
            data=tsm.ASROCK_BIOS_VERSION)['data']
        yield 'Bios', {'version': bytes(bios)}

    # ------------------------------------------------------------ identify
    def set_identify(self, on, duration, blink):
        """SD350 (by its ids, as pyghmi 1.6.19): 'on' without a
        duration is its own command; everything else the standard
        Chassis Identify (UnsupportedFunctionality here)."""
        if on and not duration and self.is_sd350:
            self.ipmicmd.xraw_command(tsm.NETFN_LENOVO,
                                      tsm.CMD_AMI_IDENTIFY,
                                      data=tsm.AMI_IDENTIFY_ON)
            return
        super().set_identify(on, duration, blink)

    # --------------------------------------------------------------- LEDs
    def get_leds(self):
        """``(name, {'status': 'On' | 'Off' | 'Blink'})`` for each LED
        the BMC answers for (others are left out): AMI and ASRock
        ThinkServers with their own commands and tables, every other
        Lenovo controller with the TSM's (3Ah 02h), as pyghmi 1.6.19
        asks them all.  A generator, as there (the BMC is asked while it
        is iterated)."""
        if self.kind == 'ami':
            return self._leds(tsm.CMD_AMI_LED, tsm.AMI_LEDS,
                              lambda led: (led,), tsm.ONE_IS_ON, 0)
        if self.kind == 'asrock':
            table = tsm.TS460_LEDS if self.isTS460 else tsm.ASROCK_LEDS
            return self._leds(tsm.CMD_ASROCK, table,
                              lambda led: (tsm.ASROCK_LED_GET, led, 0x00),
                              tsm.ONE_IS_ON, 1)
        return self._leds(tsm.CMD_LED, tsm.LEDS, lambda led: (led,),
                          tsm.LED_STATES, 0)

    def _leds(self, command, table, request, states, index):
        for name, led in table:
            try:
                data = self.ipmicmd.xraw_command(
                    tsm.NETFN_LENOVO, command, data=request(led))['data']
            except exc.IpmiException:
                continue        # an LED this model does not have
            yield name, {'status': tsm.led_state(data, states, index)}

    # ------------------------------------------------------------- power
    def get_oem_capping_enabled(self):
        """TSM: the PSU power capping state; others: DCMI."""
        if not self.has_tsm:
            return super().get_oem_capping_enabled()
        data = self.ipmicmd.xraw_command(
            tsm.NETFN_LENOVO, tsm.CMD_GET_CAPPING,
            data=(tsm.CAPPING_PSU,))['data']
        return bool(data and data[0])

    def set_oem_capping_enabled(self, enable):
        """TSM: turn PSU power capping on or off; others: DCMI."""
        if not self.has_tsm:
            return super().set_oem_capping_enabled(enable)
        self.ipmicmd.xraw_command(
            tsm.NETFN_LENOVO, tsm.CMD_SET_CAPPING,
            data=(tsm.CAPPING_PSU, 1 if enable else 0))
        return True

    # ------------------------------------------------- NextScale sensors
    def _fpc_build(self):
        return self.ipmicmd.xraw_command(nextscale.NETFN_FPC,
                                         nextscale.CMD_BUILD)['data']

    def _fpc_sensors(self):
        kind = self.is_fpc
        build = self._fpc_build() if kind == 0x26 else None
        return nextscale.sensor_names(kind,
                                      nextscale.psu_count(kind, build))

    def get_sensor_descriptions(self):
        """NextScale: ``{'name', 'type'}`` of the controller's sensors
        (power, PSU fans and status, node power permission...); IMM/XCC:
        its energy and power meters (:mod:`.energy`)."""
        meters = self._meters()
        if meters is not None:
            return [{'name': name,
                     'type': 'Power' if 'Power' in name else 'Energy'}
                    for name in meters.names]
        if not self.is_fpc:
            return super().get_sensor_descriptions()
        return [{'name': name, 'type': kind}
                for name, kind, _, _, _ in self._fpc_sensors()]

    def get_sensor_data(self):
        """NextScale: a reading of each controller sensor; IMM/XCC: of
        each energy and power meter."""
        meters = self._meters()
        if meters is not None:
            return [self._meter_reading(meters, name)
                    for name in meters.names]
        if not self.is_fpc:
            return super().get_sensor_data()
        return [self._fpc_reading(*entry) for entry in self._fpc_sensors()]

    def get_sensor_reading(self, sensorname):
        """NextScale: one controller sensor by name; IMM/XCC: one meter.

        :raises InvalidParameterValue: no such sensor
        """
        meters = self._meters()
        if meters is not None and sensorname in meters.names:
            return self._meter_reading(meters, sensorname)
        if self.is_fpc:
            for entry in self._fpc_sensors():
                if entry[0] == sensorname:
                    return self._fpc_reading(*entry)
        return super().get_sensor_reading(sensorname)

    def _meters(self):
        """The IMM/XCC energy meters (found once), or None."""
        if self.kind not in ('imm', 'xcc'):
            return None
        if self._energy is None:
            try:
                self._energy = energy.Meters(self._ask)
            except (exc.UnsupportedFunctionality, exc.IpmiException):
                self._energy = False     # none: no OEM meters, as said
        return self._energy or None

    @staticmethod
    def _meter_reading(meters, name):
        value, units, kind = meters.read(name)
        return sdrrecords.SensorReading(
            {'name': name, 'type': kind, 'value': value, 'states': [],
             'state_ids': [], 'health': 0, 'imprecision': None}, units)

    def _fpc_reading(self, name, kind, units, base, index):
        value, health, states = None, 0, []
        if units is None:
            health, states = self._fpc_state(base, index)
        else:
            value = self._fpc_value(base, index)
        return sdrrecords.SensorReading(
            {'name': name, 'type': kind, 'value': value, 'states': states,
             'health': health, 'imprecision': None}, units)

    def _fpc_value(self, base, index):
        raw = self.ipmicmd.xraw_command
        if base == 'PSU Fan Speed':
            return nextscale.decode_psu_fan(raw(
                nextscale.NETFN_FPC, nextscale.CMD_PSU_FAN,
                data=(index,))['data'])
        if base == 'Total Power Capacity':
            return nextscale.decode_power_bank(raw(
                nextscale.NETFN_FPC, nextscale.CMD_POWER_BANK)['data'])
        which = {'AC Power': nextscale.POWER_AC_INPUT,
                 'Fan Power': nextscale.POWER_FANS}.get(
                     base, nextscale.POWER_DC_OUTPUT)
        data = raw(nextscale.NETFN_FPC, nextscale.CMD_POWER,
                   data=(which,))['data']
        if which == nextscale.POWER_FANS:
            return nextscale.decode_fan_power(data)
        return nextscale.decode_power(data)

    def _fpc_state(self, base, index):
        raw = self.ipmicmd.xraw_command
        if base == 'Power Supply':
            return nextscale.psu_status(raw(
                nextscale.NETFN_FPC, nextscale.CMD_PSU_STATUS)['data'],
                index)
        if base == 'Drip Sensor':
            return nextscale.drip_status(raw(
                nextscale.NETFN_SMM, nextscale.CMD_DRIP)['data'], index)
        try:
            data = raw(nextscale.NETFN_FPC, nextscale.CMD_NODE_PERMISSION,
                       data=(index,))['data']
        except exc.IpmiException as err:
            if err.ipmicode == nextscale.CC_NO_NODE:
                return 0, ['Absent']
            raise
        return nextscale.node_permission(data,
                                         self.is_fpc == nextscale.FPC)

    # -------------------------------------------------------------- reseat
    def reseat_bay(self, bay):
        """FPC/SMM: reseat node ``bay`` (-1: the controller itself), as
        pyghmi 1.6.19 asks it; elsewhere UnsupportedFunctionality (an
        XCC reseats itself over HTTPS).

        :raises BmcErrorException: an even bay sharing its I/O with a
            powered partner, or a partner whose state cannot be read
        """
        if not self.is_fpc:
            if self.kind == 'xcc' and bay == -1:
                raise self._web_only('Reseat')
            return super().reseat_bay(bay)
        raw = self.ipmicmd.xraw_command
        if bay == -1:
            raw(nextscale.NETFN_FPC, nextscale.CMD_RESEAT_SELF)
            return None
        if bay % 2 == 0 and self._shares_io():
            try:
                partner = raw(nextscale.NETFN_FPC,
                              nextscale.CMD_NODE_PERMISSION,
                              data=(bay - 1,))['data']
            except exc.IpmiException:
                raise exc.BmcErrorException(
                    'Shared IO detected trying to reseat %d, but unable to '
                    'determine status of partner bay %d' % (bay, bay - 1)
                ) from None
            if nextscale.partner_is_on(partner):
                raise exc.BmcErrorException(
                    'Unable to reseat bay %d due to bay %d being on with '
                    'shared IO' % (bay, bay - 1))
        raw(nextscale.NETFN_FPC, nextscale.CMD_RESEAT,
            data=(bay, nextscale.RESEAT_ACTION))
        return None

    def _shares_io(self):
        data = self._probe(nextscale.NETFN_FPC, nextscale.CMD_SHARED_IO,
                           nextscale.SHARED_IO_REQUEST)
        return bool(data) and data[0] == nextscale.SHARED_IO

    # ------------------------------------------------------ user rights
    def set_oem_extended_privilleges(self, uid):
        """TSM: allow user ``uid`` the remote console (KVM) and virtual
        media; True.  Others: False (no such rights over IPMI)."""
        if not self.has_tsm:
            return super().set_oem_extended_privilleges(uid)
        self.ipmicmd.xraw_command(
            tsm.NETFN_AMI, tsm.CMD_USER_RIGHTS,
            data=(uid, tsm.RIGHTS_KVM_AND_MEDIA, 0, 0, 0))
        return True

    def get_description(self):
        """NextScale: ``{'height': PSU count of the variant, 'slot':
        0}`` as pyghmi 1.6.19 gives; others: generic."""
        if self.is_fpc:
            return {'height': self.is_fpc & 0x0F, 'slot': 0}
        return super().get_description()

    # ------------------------------------------------------------ network
    def add_extra_net_configuration(self, netdata, channel=None):
        """TSM: its IPv6 address as ``netdata['ipv6_addresses']``
        (['address/prefix'], from channel 1's OEM LAN parameters, as
        pyghmi 1.6.19 reads it whatever the channel)."""
        if not self.has_tsm:
            return None
        try:
            address = self._lan_parameter(tsm.LAN_PARAM_IPV6_ADDRESS)
            prefix = self._lan_parameter(tsm.LAN_PARAM_IPV6_PREFIX)
            text = tsm.ipv6_address(address, prefix)
        except (exc.IpmiException, exc.DecodeError):
            return None
        if text is not None:
            netdata['ipv6_addresses'] = [text]
        return None

    def _lan_parameter(self, parameter):
        return self.ipmicmd.xraw_command(
            const.NETFN_TRANSPORT, lanconfig.CMD_GET_LAN_CONFIG,
            data=(tsm.IPV6_CHANNEL, parameter, 0, 0))['data']

    # ------------------------------------------------ NTP and DNS domain
    def get_ntp_enabled(self):
        """TSM: whether the BMC's clock follows NTP; others: None."""
        if not self._own_ntp():
            return super().get_ntp_enabled()
        return tsm.decode_ntp(self._ntp_state())[0]

    def get_ntp_servers(self):
        """TSM: the two NTP server names ('' when unset); others: ()."""
        if not self._own_ntp():
            return super().get_ntp_servers()
        return tsm.decode_ntp(self._ntp_state())[1]

    def _own_ntp(self):
        """True where NTP is the TSM's commands (TSM, AMI, ASRock); False
        for the generic answers.

        :raises UnsupportedFunctionality: FPC/SMM (an HTTPS service)
        """
        if self.is_fpc:
            raise self._web_only('NTP settings')
        return self._tsm_family

    def _own_domain_name(self):
        """As :meth:`_own_ntp`, for the DNS domain name (TSM only)."""
        if self.is_fpc:
            raise self._web_only('The DNS domain name')
        return self.has_tsm

    def _ntp_state(self):
        return self.ipmicmd.xraw_command(tsm.NETFN_AMI,
                                         tsm.CMD_GET_NTP)['data']

    def set_ntp_enabled(self, enabled):
        """TSM: turn NTP on or off (the BMC may take seconds); True."""
        if not self._own_ntp():
            return super().set_ntp_enabled(enabled)
        self.ipmicmd.xraw_command(
            tsm.NETFN_AMI, tsm.CMD_SET_NTP,
            data=(tsm.NTP_SET_ENABLED, 1 if enabled else 0), timeout=15)
        return True

    def set_ntp_server(self, server, index=0):
        """TSM: set NTP server ``index`` (0 or 1); True.

        :raises InvalidParameterValue: another index, a name that is not
            ASCII or longer than 128 bytes (nothing is sent)
        """
        if not self._own_ntp():
            return super().set_ntp_server(server, index)
        if index not in (0, 1):
            raise exc.InvalidParameterValue(
                'index: 0 or 1 on this BMC, not %r' % (index,))
        try:
            data = tsm.encode_ntp_server(index, server)
        except (ValueError, TypeError) as err:
            raise exc.InvalidParameterValue('server: %s' % err) from None
        self.ipmicmd.xraw_command(tsm.NETFN_AMI, tsm.CMD_SET_NTP, data=data)
        return True

    def get_oem_domain_name(self):
        """TSM: the BMC's DNS domain name; others: generic."""
        if not self._own_domain_name():
            return super().get_oem_domain_name()
        blocks = [self.ipmicmd.xraw_command(
            tsm.NETFN_AMI, tsm.CMD_GET_DNS,
            data=(tsm.DNS_DOMAIN_BLOCK, block))['data']
            for block in range(1, tsm.DOMAIN_BLOCKS + 1)]
        return tsm.decode_domain(blocks)

    def set_oem_domain_name(self, name):
        """TSM: write the DNS domain name, then restart the BMC's DNS
        service.

        :raises InvalidParameterValue: not ASCII or over 256 bytes
        """
        if not self._own_domain_name():
            return super().set_oem_domain_name(name)
        try:
            requests = tsm.encode_domain(name)
        except (ValueError, TypeError) as err:
            raise exc.InvalidParameterValue('name: %s' % err) from None
        for data in requests + [tsm.DNS_RESTART]:
            self.ipmicmd.xraw_command(tsm.NETFN_AMI, tsm.CMD_SET_DNS,
                                      data=data)
        return None

    def get_oem_remote_kvm_available(self):
        """TSM: whether the remote KVM is free; others: False."""
        if not self.has_tsm:
            return False
        rsp = self.ipmicmd.raw_command(tsm.NETFN_LENOVO, tsm.CMD_KVM_STATE)
        return rsp.get('code') == 0 and bool(rsp['data']) and \
            rsp['data'][0] == 0

    # --------------------------------------------------------- event log
    def process_event(self, event, ipmicmd, seldata):
        """Lenovo's OEM records, ME firmware events and drive bays
        (:mod:`.sel`), on every Lenovo controller as pyghmi did."""
        lenovosel.refine(event, bytes(seldata))

    # -------------------------------------------- HTTPS-only on IMM / XCC
    def get_system_configuration(self, hideadvanced=True):
        """IMM/XCC UEFI settings: not read here (see the message);
        elsewhere {}."""
        if self.has_imm:
            raise exc.UnsupportedFunctionality(
                'UEFI settings of this Lenovo %s travel as compressed XML '
                'files over its OEM file protocol, which this package does '
                'not implement' % self.kind.upper())
        return super().get_system_configuration(hideadvanced)

    def get_graphical_console(self):
        """None, as pyghmi 1.6.19 answers without a TLS verification
        callback (with one it opened the TSM's web console over HTTPS,
        which this package does not use)."""
        return None

    def get_ikvm_methods(self):
        """['url'] on an XCC, None elsewhere (pyghmi 1.6.19's answers)."""
        return ['url'] if self.kind == 'xcc' else None

    def get_ikvm_launchdata(self):
        """An XCC's launch data is an HTTPS service; elsewhere {}."""
        if self.kind == 'xcc':
            raise self._web_only('Remote console launch data')
        return {}

    def get_screenshot(self, outfile):
        """An XCC's screenshot is an HTTPS service; elsewhere {}."""
        if self.kind == 'xcc':
            raise self._web_only('Screenshots')
        return {}

    def get_licenses(self):
        """Licenses are an HTTPS service of IMM/XCC."""
        raise self._web_only('License management')

    def update_firmware(self, filename, data=None, progress=None, bank=None):
        """Firmware updates are HTTPS uploads on Lenovo controllers."""
        raise self._web_only('Firmware update')

    def get_diagnostic_data(self, savefile, progress=None,
                            autosuffix=False):
        """Service data is an HTTPS download on IMM/XCC."""
        raise self._web_only('Diagnostic data collection')

    def list_media(self):
        """Virtual media is an HTTPS service on Lenovo controllers."""
        raise self._web_only('Remote media')

    def detach_remote_media(self):
        """IMM/XCC: an HTTPS service; elsewhere nothing is attached over
        IPMI, so nothing to do (None, as pyghmi 1.6.19)."""
        if self.has_imm:
            raise self._web_only('Remote media')
        return None

    def get_video_launchdata(self):
        """None on Lenovo controllers, as pyghmi 1.6.19 answers."""
        return None
