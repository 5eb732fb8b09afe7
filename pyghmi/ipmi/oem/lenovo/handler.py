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

The hooks that ask the BMC are flow hooks (:func:`flows.hook`), which
both Commands run.  Both tell the controller apart when they find the
handler (:meth:`OEMHandler.prepare`, as pyghmi 1.6.19's constructor
probed); :attr:`OEMHandler.kind` probes on first use for a handler made
otherwise.
"""

from pyghmi import exceptions as exc
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.facade import flows
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
        """Flow: the answer data of a probe, or None when it is refused
        or unanswered (a probe never raises)."""
        try:
            rsp = yield flows.Xraw(netfn, command, data, retry=False)
        except exc.IpmiException:
            return None
        return rsp['data']

    def _ask(self, netfn, command, data=b''):
        """Flow: the answer data of a request (bytes)."""
        return bytes((yield flows.Xraw(netfn, command, data))['data'])

    @flows.hook
    def prepare(self):
        """Tell the controller apart (its probes), once: both Commands
        run this when they find the handler."""
        if self._kind is None:
            self._kind = yield from self._detect()

    @property
    def kind(self):
        """'tsm', 'xcc', 'imm', 'nextscale', 'ami', 'asrock' or 'other'
        (found by :meth:`prepare`; probed here through a blocking
        ``Command`` for a handler that was not prepared)."""
        if self._kind is None:
            xraw, many = flows.blocking_callables(self.ipmicmd)
            if xraw is None:
                raise RuntimeError('the handler of an asyncio Command '
                                   'is prepared before use')
            self._kind = flows.Blocking(xraw, many).run(self._detect())
        return self._kind

    def _detect(self):
        """Flow: the kind of controller (see :attr:`kind`)."""
        caps = yield from self._probe(tsm.NETFN_LENOVO, tsm.CMD_IMM_PROBE)
        if caps is not None and len(caps) == 3:
            if caps[1] & 0x10:
                return 'xcc'
            if caps[1] & 0x01:
                return 'imm'
        oemid = self.oemid or {}
        if nextscale.variant(oemid) is not None:
            return 'nextscale'
        if oemid.get('manufacturer_id') != LENOVO:
            return 'other'
        if oemid.get('device_id') == TSM_DEVICE_ID and (yield from self._probe(
                tsm.NETFN_LENOVO, tsm.CMD_TSM_PROBE)) is not None:
            return 'tsm'
        product = oemid.get('product_id')
        if product == tsm.AMI_PRODUCT:
            ami = yield from self._probe(tsm.NETFN_LENOVO, tsm.CMD_AMI_PROBE)
            if ami and ami[0] < 5:
                return 'ami'
        if product in tsm.ASROCK_PRODUCTS and (yield from self._probe(
                tsm.NETFN_LENOVO, tsm.CMD_ASROCK,
                tsm.ASROCK_PROBE)) is not None:
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

    @flows.hook
    def clear_bmc_configuration(self):
        """XCC: factory settings (2Eh CCh); FPC/SMM: 32h ADh (both as
        pyghmi 1.6.19 asks); elsewhere UnsupportedFunctionality."""
        if self.is_fpc:
            yield flows.Xraw(nextscale.NETFN_FPC, nextscale.CMD_FACTORY_RESET)
            return None
        if self.kind != 'xcc':
            return super().clear_bmc_configuration()
        yield flows.Xraw(imm.NETFN_OEM_GROUP, imm.CMD_FACTORY_RESET,
                         imm.FACTORY_RESET_REQUEST)
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
    @flows.listing_hook
    def get_oem_firmware(self, bmcver, components, category):
        """TSM: every entry of the firmware table (text versions), then
        the BIOS bundle and current image versions (AMI SD350: the table
        only); ASRock: the BMC version and the BIOS version (raw bytes);
        NextScale FPC/SMM: the controller (version and build) and its
        PSOC; IMM/XCC: what IPMI reaches of their list (:mod:`.imm`);
        others: generic."""
        if self.is_fpc:
            build = yield from self._fpc_build()
            yield from nextscale.firmware(bmcver, self.is_fpc, build)
            return
        if self.kind == 'asrock':
            yield from self._asrock_firmware()
            return
        if self.kind == 'ami':
            yield from self._firmware_table()
            return
        if self.has_imm:
            yield from imm.firmware(self.kind, bmcver, components, category)
            return
        if not self.has_tsm:
            yield from super().get_oem_firmware(bmcver, components,
                                                category)
            return
        yield from self._firmware_table()
        bios = yield from self._ask(tsm.NETFN_AMI, tsm.CMD_BIOS_VERSION,
                                    tsm.BIOS_VERSION_REQUEST)
        bundle, current = tsm.decode_bios_versions(bios)
        yield 'Bios_bundle_ver', {'version': bundle}
        yield 'Bios_current_ver', {'version': current}

    def _firmware_table(self):
        """Listing flow: the TSM firmware table's entries."""
        data = yield from self._ask(0x06, 0x59, tsm.FIRMWARE_REQUEST)
        for name, version in tsm.decode_firmware(data):
            yield name, {'version': version}

    def _asrock_firmware(self):
        """Listing flow: an ASRock ThinkServer's BMC and BIOS versions."""
        data = yield from self._ask(tsm.NETFN_LENOVO, tsm.CMD_ASROCK,
                                    tsm.ASROCK_BMC_VERSION)
        yield 'BMC', {'version': tsm.decode_asrock_bmc_version(data)}
        bios = yield from self._ask(tsm.NETFN_LENOVO, tsm.CMD_ASROCK,
                                    tsm.ASROCK_BIOS_VERSION)
        yield 'Bios', {'version': bios}

    # ------------------------------------------------------------ identify
    @flows.hook
    def set_identify(self, on, duration, blink):
        """SD350 (by its ids, as pyghmi 1.6.19): 'on' without a
        duration is its own command; everything else the standard
        Chassis Identify (UnsupportedFunctionality here)."""
        if on and not duration and self.is_sd350:
            yield flows.Xraw(tsm.NETFN_LENOVO, tsm.CMD_AMI_IDENTIFY,
                             tsm.AMI_IDENTIFY_ON)
            return
        super().set_identify(on, duration, blink)

    # --------------------------------------------------------------- LEDs
    @flows.listing_hook
    def get_leds(self):
        """``(name, {'status': 'On' | 'Off' | 'Blink'})`` for each LED
        the BMC answers for (others are left out): AMI and ASRock
        ThinkServers with their own commands and tables, every other
        Lenovo controller with the TSM's (3Ah 02h), as pyghmi 1.6.19
        asks them all."""
        if self.kind == 'ami':
            yield from self._leds(tsm.CMD_AMI_LED, tsm.AMI_LEDS,
                                  lambda led: (led,), tsm.ONE_IS_ON, 0)
        elif self.kind == 'asrock':
            table = tsm.TS460_LEDS if self.isTS460 else tsm.ASROCK_LEDS
            yield from self._leds(
                tsm.CMD_ASROCK, table,
                lambda led: (tsm.ASROCK_LED_GET, led, 0x00),
                tsm.ONE_IS_ON, 1)
        else:
            yield from self._leds(tsm.CMD_LED, tsm.LEDS, lambda led: (led,),
                                  tsm.LED_STATES, 0)

    def _leds(self, command, table, request, states, index):
        """Listing flow: the state of each LED of ``table``."""
        for name, led in table:
            try:
                data = yield from self._ask(tsm.NETFN_LENOVO, command,
                                            request(led))
            except exc.IpmiException:
                continue        # an LED this model does not have
            yield name, {'status': tsm.led_state(data, states, index)}

    # ------------------------------------------------------------- power
    @flows.hook
    def get_oem_capping_enabled(self):
        """TSM: the PSU power capping state; others: DCMI (the
        standard way)."""
        if not self.has_tsm:
            return flows.STANDARD
        data = yield from self._ask(tsm.NETFN_LENOVO, tsm.CMD_GET_CAPPING,
                                    (tsm.CAPPING_PSU,))
        return bool(data and data[0])

    @flows.hook
    def set_oem_capping_enabled(self, enable):
        """TSM: turn PSU power capping on or off; others: DCMI (the
        standard way)."""
        if not self.has_tsm:
            return flows.STANDARD
        yield flows.Xraw(tsm.NETFN_LENOVO, tsm.CMD_SET_CAPPING,
                         (tsm.CAPPING_PSU, 1 if enable else 0))
        return True

    # ------------------------------------------------- NextScale sensors
    def _fpc_build(self):
        """Flow: the FPC/SMM build data (32h A8h)."""
        return (yield from self._ask(nextscale.NETFN_FPC,
                                     nextscale.CMD_BUILD))

    def _fpc_sensors(self):
        """Flow: the NextScale sensor table of this variant."""
        kind = self.is_fpc
        build = (yield from self._fpc_build()) if kind == 0x26 else None
        return nextscale.sensor_names(kind,
                                      nextscale.psu_count(kind, build))

    @flows.listing_hook
    def get_sensor_descriptions(self):
        """NextScale: ``{'name', 'type'}`` of the controller's sensors
        (power, PSU fans and status, node power permission...); IMM/XCC:
        its energy and power meters (:mod:`.energy`)."""
        meters = yield from self._meters()
        if meters is not None:
            for name in meters.names:
                yield {'name': name,
                       'type': 'Power' if 'Power' in name else 'Energy'}
        elif self.is_fpc:
            for name, kind, _, _, _ in (yield from self._fpc_sensors()):
                yield {'name': name, 'type': kind}
        else:
            yield from super().get_sensor_descriptions()

    @flows.listing_hook
    def get_sensor_data(self):
        """NextScale: a reading of each controller sensor; IMM/XCC: of
        each energy and power meter."""
        meters = yield from self._meters()
        if meters is not None:
            for name in meters.names:
                yield (yield from self._meter_reading(meters, name))
        elif self.is_fpc:
            for entry in (yield from self._fpc_sensors()):
                yield (yield from self._fpc_reading(*entry))
        else:
            yield from super().get_sensor_data()

    @flows.hook
    def get_sensor_reading(self, sensorname):
        """NextScale: one controller sensor by name; IMM/XCC: one meter.

        :raises InvalidParameterValue: no such sensor
        """
        meters = yield from self._meters()
        if meters is not None and sensorname in meters.names:
            return (yield from self._meter_reading(meters, sensorname))
        if self.is_fpc:
            for entry in (yield from self._fpc_sensors()):
                if entry[0] == sensorname:
                    return (yield from self._fpc_reading(*entry))
        return super().get_sensor_reading(sensorname)

    def _meters(self):
        """Flow: the IMM/XCC energy meters (found once), or None."""
        if self.kind not in ('imm', 'xcc'):
            return None
        if self._energy is None:
            try:
                self._energy = yield from energy.find_meters()
            except (exc.UnsupportedFunctionality, exc.IpmiException):
                self._energy = False     # none: no OEM meters, as said
        return self._energy or None

    @staticmethod
    def _meter_reading(meters, name):
        """Flow: the reading of meter ``name``."""
        value, units, kind = yield from meters.read(name)
        return sdrrecords.SensorReading(
            {'name': name, 'type': kind, 'value': value, 'states': [],
             'state_ids': [], 'health': 0, 'imprecision': None}, units)

    def _fpc_reading(self, name, kind, units, base, index):
        """Flow: the reading of one NextScale sensor."""
        value, health, states = None, 0, []
        if units is None:
            health, states = yield from self._fpc_state(base, index)
        else:
            value = yield from self._fpc_value(base, index)
        return sdrrecords.SensorReading(
            {'name': name, 'type': kind, 'value': value, 'states': states,
             'health': health, 'imprecision': None}, units)

    def _fpc_value(self, base, index):
        """Flow: the value of a NextScale power or fan sensor."""
        ask, fpc = self._ask, nextscale.NETFN_FPC
        if base == 'PSU Fan Speed':
            return nextscale.decode_psu_fan((yield from ask(
                fpc, nextscale.CMD_PSU_FAN, (index,))))
        if base == 'Total Power Capacity':
            return nextscale.decode_power_bank((yield from ask(
                fpc, nextscale.CMD_POWER_BANK)))
        which = {'AC Power': nextscale.POWER_AC_INPUT,
                 'Fan Power': nextscale.POWER_FANS}.get(
                     base, nextscale.POWER_DC_OUTPUT)
        data = yield from ask(fpc, nextscale.CMD_POWER, (which,))
        if which == nextscale.POWER_FANS:
            return nextscale.decode_fan_power(data)
        return nextscale.decode_power(data)

    def _fpc_state(self, base, index):
        """Flow: ``(health, states)`` of a NextScale discrete sensor."""
        ask, fpc = self._ask, nextscale.NETFN_FPC
        if base == 'Power Supply':
            return nextscale.psu_status((yield from ask(
                fpc, nextscale.CMD_PSU_STATUS)), index)
        if base == 'Drip Sensor':
            return nextscale.drip_status((yield from ask(
                nextscale.NETFN_SMM, nextscale.CMD_DRIP)), index)
        try:
            data = yield from ask(fpc, nextscale.CMD_NODE_PERMISSION,
                                  (index,))
        except exc.IpmiException as err:
            if err.ipmicode == nextscale.CC_NO_NODE:
                return 0, ['Absent']
            raise
        return nextscale.node_permission(data,
                                         self.is_fpc == nextscale.FPC)

    # -------------------------------------------------------------- reseat
    @flows.hook
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
        if bay == -1:
            yield flows.Xraw(nextscale.NETFN_FPC, nextscale.CMD_RESEAT_SELF)
            return None
        if bay % 2 == 0 and (yield from self._shares_io()):
            try:
                partner = yield from self._ask(
                    nextscale.NETFN_FPC, nextscale.CMD_NODE_PERMISSION,
                    (bay - 1,))
            except exc.IpmiException:
                raise exc.BmcErrorException(
                    'Shared IO detected trying to reseat %d, but unable to '
                    'determine status of partner bay %d' % (bay, bay - 1)
                ) from None
            if nextscale.partner_is_on(partner):
                raise exc.BmcErrorException(
                    'Unable to reseat bay %d due to bay %d being on with '
                    'shared IO' % (bay, bay - 1))
        yield flows.Xraw(nextscale.NETFN_FPC, nextscale.CMD_RESEAT,
                         (bay, nextscale.RESEAT_ACTION))
        return None

    def _shares_io(self):
        """Flow: whether the enclosure pairs bays on shared I/O."""
        data = yield from self._probe(nextscale.NETFN_FPC,
                                      nextscale.CMD_SHARED_IO,
                                      nextscale.SHARED_IO_REQUEST)
        return bool(data) and data[0] == nextscale.SHARED_IO

    # ------------------------------------------------------ user rights
    @flows.hook
    def set_oem_extended_privilleges(self, uid):
        """TSM: allow user ``uid`` the remote console (KVM) and virtual
        media; True.  Others: False (no such rights over IPMI)."""
        if not self.has_tsm:
            return super().set_oem_extended_privilleges(uid)
        yield flows.Xraw(tsm.NETFN_AMI, tsm.CMD_USER_RIGHTS,
                         (uid, tsm.RIGHTS_KVM_AND_MEDIA, 0, 0, 0))
        return True

    def get_description(self):
        """NextScale: ``{'height': PSU count of the variant, 'slot':
        0}`` as pyghmi 1.6.19 gives; others: generic."""
        if self.is_fpc:
            return {'height': self.is_fpc & 0x0F, 'slot': 0}
        return super().get_description()

    # ------------------------------------------------------------ network
    @flows.hook
    def add_extra_net_configuration(self, netdata, channel=None):
        """TSM: its IPv6 address as ``netdata['ipv6_addresses']``
        (['address/prefix'], from channel 1's OEM LAN parameters, as
        pyghmi 1.6.19 reads it whatever the channel)."""
        if not self.has_tsm:
            return None
        try:
            address = yield from self._lan_parameter(
                tsm.LAN_PARAM_IPV6_ADDRESS)
            prefix = yield from self._lan_parameter(tsm.LAN_PARAM_IPV6_PREFIX)
            text = tsm.ipv6_address(address, prefix)
        except (exc.IpmiException, exc.DecodeError):
            return None
        if text is not None:
            netdata['ipv6_addresses'] = [text]
        return None

    def _lan_parameter(self, parameter):
        """Flow: an OEM LAN parameter of the TSM's channel."""
        return (yield from self._ask(
            const.NETFN_TRANSPORT, lanconfig.CMD_GET_LAN_CONFIG,
            (tsm.IPV6_CHANNEL, parameter, 0, 0)))

    # ------------------------------------------------ NTP and DNS domain
    @flows.hook
    def get_ntp_enabled(self):
        """TSM: whether the BMC's clock follows NTP; others: None."""
        if not self._own_ntp():
            return super().get_ntp_enabled()
        return tsm.decode_ntp((yield from self._ntp_state()))[0]

    @flows.hook
    def get_ntp_servers(self):
        """TSM: the two NTP server names ('' when unset); others: ()."""
        if not self._own_ntp():
            return super().get_ntp_servers()
        return tsm.decode_ntp((yield from self._ntp_state()))[1]

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
        """Flow: the TSM's NTP state answer."""
        return (yield from self._ask(tsm.NETFN_AMI, tsm.CMD_GET_NTP))

    @flows.hook
    def set_ntp_enabled(self, enabled):
        """TSM: turn NTP on or off (the BMC may take seconds); True."""
        if not self._own_ntp():
            return super().set_ntp_enabled(enabled)
        yield flows.Xraw(tsm.NETFN_AMI, tsm.CMD_SET_NTP,
                         (tsm.NTP_SET_ENABLED, 1 if enabled else 0),
                         timeout=15)
        return True

    @flows.hook
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
        yield flows.Xraw(tsm.NETFN_AMI, tsm.CMD_SET_NTP, data)
        return True

    @flows.hook
    def get_oem_domain_name(self):
        """TSM: the BMC's DNS domain name; others: generic."""
        if not self._own_domain_name():
            return super().get_oem_domain_name()
        blocks = []
        for block in range(1, tsm.DOMAIN_BLOCKS + 1):
            blocks.append((yield from self._ask(
                tsm.NETFN_AMI, tsm.CMD_GET_DNS,
                (tsm.DNS_DOMAIN_BLOCK, block))))
        return tsm.decode_domain(blocks)

    @flows.hook
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
            yield flows.Xraw(tsm.NETFN_AMI, tsm.CMD_SET_DNS, data)
        return None

    @flows.hook
    def get_oem_remote_kvm_available(self):
        """TSM: whether the remote KVM is free; others (and a TSM that
        refuses or does not answer): False."""
        if not self.has_tsm:
            return False
        try:
            data = yield from self._ask(tsm.NETFN_LENOVO, tsm.CMD_KVM_STATE)
        except exc.IpmiException:
            return False
        return bool(data) and data[0] == 0

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
