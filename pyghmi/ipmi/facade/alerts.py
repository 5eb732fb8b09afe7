"""``Command``'s LAN alerting (IPMI v2.0 sections 23 and 30), drop-in
with pyghmi 1.6.19's alert methods: the SNMP community of PET traps,
alert destinations (LAN parameters 16-19) and the PEF alert policy that
makes the BMC send to a destination.

Arguments are checked before anything is sent; destination changes are
written under "set in progress" (taken, committed, always released);
a destination number the BMC does not have is refused, and a BMC with
no LAN alert destinations answers ``UnsupportedFunctionality``.
"""

import ipaddress
from typing import Any, Callable, Dict, Optional

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.private import args
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.server import lanconfig as lan
from pyghmi.ipmi.private.server import pefconfig as pef

RETRIES_MAX = 7               # 3-bit field (table 23-4, parameter 18)


def _address(value):
    try:
        return ipaddress.ip_address(value)
    except (ValueError, TypeError):
        raise exc.InvalidParameterValue(
            'ip: an IPv4 or IPv6 address, not %r' % (value,)) from None


class AlertFlows:
    """Alerting methods as flows (:mod:`.flows`), which both Commands
    run (see the module text)."""

    _channel_flow: Callable[..., Any]               # the users area's
    _lan_param: Callable[..., Any]                  # the LAN area's flows
    _write_locked: Callable[..., Any]

    @flows.public
    def get_alert_destination_count(self, channel: Optional[int] = None):
        """How many non-volatile LAN alert destinations the BMC has
        (LAN parameter 17; destination 0 is the volatile one).

        :returns: the parameter's byte (0: no LAN alerting)
        """
        channel = yield from self._channel_flow(channel)
        data = yield from self._lan_param(channel, lan.P_ALERT_COUNT)
        if not data:
            raise exc.UnsupportedFunctionality(
                'This BMC does not report LAN alert destinations')
        return data[0]

    @flows.public
    def get_alert_destination(self, destination: int = 0,
                              channel: Optional[int] = None):
        """One alert destination.

        :returns: ``{'acknowledge_required': bool, 'acknowledge_timeout':
            seconds (only when acknowledged), 'retries': n,
            'address_format': 'ipv4' | 'ipv6', 'address': text}``
        :raises InvalidParameterValue: no such destination
        """
        channel = yield from self._channel_flow(channel)
        yield from self._check_destination(destination, channel)
        kind = yield from self._lan_param(channel, lan.P_ALERT_TYPE,
                                          destination)
        where = yield from self._lan_param(channel, lan.P_ALERT_ADDRESS,
                                           destination)
        if not kind or len(kind) < 4 or not where or len(where) < 3:
            raise exc.BmcErrorException(
                'The BMC answered a malformed alert destination')
        info: Dict[str, Any] = {
            'acknowledge_required': bool(kind[1] & lan.ALERT_ACK)}
        if info['acknowledge_required']:
            info['acknowledge_timeout'] = kind[2]
        info['retries'] = kind[3]
        form = where[1] >> 4
        if form == lan.ALERT_IPV4 and len(where) >= 7:
            info['address_format'] = 'ipv4'
            info['address'] = str(ipaddress.IPv4Address(where[3:7]))
        elif form == lan.ALERT_IPV6 and len(where) >= 18:
            info['address_format'] = 'ipv6'
            info['address'] = str(ipaddress.IPv6Address(where[2:18]))
        return info

    @flows.public
    def set_alert_destination(self, ip: Optional[str] = None,
                              acknowledge_required: Optional[bool] = None,
                              acknowledge_timeout: Optional[int] = None,
                              retries: Optional[int] = None,
                              destination: int = 0,
                              channel: Optional[int] = None):
        """Change the given settings of an alert destination (a PET
        trap), leaving the others; unless ``ip`` is 0.0.0.0, make sure a
        PEF alert policy sends alerts to it.

        :param ip: IPv4 or IPv6 address of the trap receiver
        :param acknowledge_required: whether the receiver acknowledges
        :param acknowledge_timeout: seconds to wait for it (0-255)
        :param retries: times an alert is resent (0-7)
        :param destination: destination number (0: volatile)
        :raises InvalidParameterValue: a bad value (nothing is sent) or
            a destination the BMC does not have
        :raises PyghmiException: no free alert policy entry
        """
        address = None if ip is None else _address(ip)
        if acknowledge_required is not None:
            args.flag('acknowledge_required', acknowledge_required)
        if acknowledge_timeout is not None:
            args.integer('acknowledge_timeout', acknowledge_timeout, 0, 255)
        if retries is not None:
            args.integer('retries', retries, 0, RETRIES_MAX)
        channel = yield from self._channel_flow(channel)
        yield from self._check_destination(destination, channel)
        writes = []
        if (acknowledge_required, acknowledge_timeout, retries) != (
                None, None, None):
            writes.append((lan.P_ALERT_TYPE, (yield from self._type_block(
                channel, destination, acknowledge_required,
                acknowledge_timeout, retries))))
        vendor_wrote = address is not None and address.version == 6 and (
            yield from flows.vendor('set_alert_ipv6_destination',
                                    ip, destination, channel))
        if address is not None and not vendor_wrote:
            writes.append((lan.P_ALERT_ADDRESS,
                           lan.alert_address(destination, address)))
        if writes:
            yield from self._write_locked(channel, writes)
        if address is not None and int(address) == 0:
            return None
        yield from self._assure_alert_policy(channel, destination)
        return None

    @flows.public
    def clear_alert_destination(self, destination: int = 0,
                                channel: Optional[int] = None):
        """Reset an alert destination: address 0.0.0.0, no
        acknowledgement, no time-out, no retries."""
        yield from _flow.set_alert_destination(
            self, '0.0.0.0', False, 0, 0, destination, channel)

    @flows.public
    def get_alert_community(self, channel: Optional[int] = None):
        """The SNMP community string of the BMC's PET traps (LAN
        parameter 16)."""
        channel = yield from self._channel_flow(channel)
        data = yield from self._lan_param(channel, lan.P_COMMUNITY)
        if data is None:
            raise exc.UnsupportedFunctionality(
                'This BMC has no alert community string')
        return data.partition(b'\x00')[0].decode('ascii', 'replace')

    @flows.public
    def set_alert_community(self, community: str,
                            channel: Optional[int] = None):
        """Set the SNMP community string of PET traps.

        :param community: printable ASCII, at most 18 characters (longer
            is refused, never cut)
        :raises BmcErrorException: the BMC kept another string (read
            back after the write)
        """
        args.text('community', community, lan.COMMUNITY_SIZE)
        raw = community.encode('utf-8') \
            if isinstance(community, str) else bytes(community)
        if not raw or not all(32 <= b < 127 for b in raw):
            raise exc.InvalidParameterValue(
                'community must be 1-18 printable ASCII characters')
        channel = yield from self._channel_flow(channel)
        yield from self._write_locked(channel, [(lan.P_COMMUNITY, raw.ljust(
            lan.COMMUNITY_SIZE, b'\x00'))])
        # Some BMCs (ipmi_sim) accept the write and keep their string.
        kept = yield from _flow.get_alert_community(self, channel)
        if kept.encode('ascii', 'replace') != raw:
            raise exc.BmcErrorException(
                'The BMC accepted the community string but kept %r' % kept)

    # ------------------------------------------------------------ helpers
    def _check_destination(self, destination, channel):
        count = (yield from _flow.get_alert_destination_count(
            self, channel)) & 0x0F
        if count == 0:
            raise exc.UnsupportedFunctionality(
                'This BMC has no LAN alert destinations')
        args.integer('destination', destination, 0, count)

    def _type_block(self, channel, destination, ack, timeout, retries):
        """Parameter 18 with the given fields changed (a PET trap)."""
        current = yield from self._lan_param(channel, lan.P_ALERT_TYPE,
                                             destination)
        if not current or len(current) < 4:
            raise exc.BmcErrorException(
                'The BMC answered a malformed alert destination type')
        block = bytearray(current[:4])
        block[0] = destination
        block[1] &= 0x7F & ~0x07          # a PET trap destination
        if ack if ack is not None else current[1] & lan.ALERT_ACK:
            block[1] |= lan.ALERT_ACK
        if timeout is not None:
            block[2] = timeout
        if retries is not None:
            block[3] = retries
        return bytes(block)

    def _pef_param(self, parameter, selector=0):
        data = bytes((yield flows.Xraw(
            const.NETFN_SENSOR_EVENT, pef.CMD_GET_CONFIG,
            data=pef.get_request(parameter, selector)))['data'])
        if not data or data[0] != pef.paramstore.REVISION:
            raise exc.BmcErrorException(
                'Unexpected PEF parameter %d answer' % parameter)
        return data[1:]

    def _assure_alert_policy(self, channel, destination):
        """An enabled alert policy for (channel, destination): kept when
        one exists, else written into the first disabled entry.

        :raises PyghmiException: every entry is in use
        """
        count = (yield from self._pef_param(pef.P_POLICY_COUNT))[0] & 0x7F
        free = None
        for selector in range(1, count + 1):
            entry = pef.POLICY_ENTRY.decode(
                (yield from self._pef_param(pef.P_POLICY, selector)))
            if not entry['enabled']:
                free = free or selector
            elif (entry['channel'], entry['destination']) == (
                    channel, destination):
                return True
        if free is None:
            raise exc.PyghmiException(
                'No free alert policy entry on this BMC (all %d in use)'
                % count)
        yield flows.Xraw(const.NETFN_SENSOR_EVENT, pef.CMD_SET_CONFIG,
                         data=pef.set_request(pef.P_POLICY, pef.policy_entry(
                             free, channel, destination)))
        return True


# (a flow calls another through the class: on the Commands the public
# names are the drivers' methods)
_flow = AlertFlows


@flows.drives(AlertFlows)
class AlertCommands(AlertFlows):
    """Alerting methods of the blocking ``Command``."""
