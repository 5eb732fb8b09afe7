"""fakebmc's alerting: a Platform Event Trap for each logged event.

When PEF is enabled (PEF parameter 1 bit 0) with its alert action (2,
bit 0), every system event added to the SEL goes, as a PET in an SNMPv1
trap, to each destination named by an enabled alert policy entry of the
LAN channel whose destination is a PET trap with an IPv4 address.  The
fake BMC has no event filters: every event matches, as if one filter
selected them all for policy 1.

Only loopback destinations are sent to unless ``allow_remote`` (fakebmc
``--alert-allow-remote``): a test BMC must not spray traps at real
addresses.  ``trap_port`` (``--trap-port``) moves the SNMP trap port
(162) so tests can listen without privileges.
"""

import ipaddress
import logging
import socket
import time

from pyghmi.ipmi.private.codec import pet
from pyghmi.ipmi.private.server import lanconfig as lan
from pyghmi.ipmi.private.server import pefconfig as pef

LOG = logging.getLogger(__name__)
SYSTEM_EVENT = 0x02


class AlertSender:
    """Sends the traps of one fake BMC.

    :param bmc: the FakeBmc (its ``lan``, ``pef``, ``config``, ``uuid``)
    :param trap_port: UDP port of the trap receivers
    :param allow_remote: also send to destinations that are not loopback
    """

    def __init__(self, bmc, trap_port=pet.TRAP_PORT, allow_remote=False):
        self.bmc = bmc
        self.trap_port = trap_port
        self.allow_remote = allow_remote
        self.started = time.monotonic()
        self.sent = 0

    def event(self, record):
        """A record was added to the SEL: alert where policies say."""
        if record[2] != SYSTEM_EVENT or not self._alerting():
            return
        for address in self._destinations():
            if not (address.is_loopback or self.allow_remote):
                LOG.warning('alert to %s not sent: fakebmc sends traps '
                            'to loopback addresses only unless '
                            '--alert-allow-remote', address)
                continue
            self._send(record, address)

    def _alerting(self):
        values = self.bmc.pef.values
        return bool(values[pef.P_CONTROL][0] & 1 and
                    values[pef.P_ACTION_CONTROL][0] & pef.ACTION_ALERT)

    def _destinations(self):
        """IPv4 PET destinations of the enabled policies, once each."""
        values = self.bmc.lan.values
        seen = []
        for key, entry in sorted(self.bmc.pef.values.items(),
                                 key=lambda item: str(item[0])):
            if not isinstance(key, tuple) or key[0] != pef.P_POLICY:
                continue
            policy = pef.POLICY_ENTRY.decode(entry)
            if not policy['enabled'] or \
                    policy['channel'] != self.bmc.config.channel:
                continue
            kind = values.get((lan.P_ALERT_TYPE, policy['destination']))
            where = values.get((lan.P_ALERT_ADDRESS,
                                policy['destination']))
            if not kind or not where or kind[1] & 0x07 or \
                    where[1] >> 4 != lan.ALERT_IPV4:
                continue
            address = ipaddress.IPv4Address(where[3:7])
            if int(address) and address not in seen:
                seen.append(address)
        return seen

    def _send(self, record, address):
        community = self.bmc.lan.values[lan.P_COMMUNITY].rstrip(b'\x00')
        guid = self.bmc.uuid.bytes_le if hasattr(self.bmc.uuid, 'bytes_le') \
            else bytes(self.bmc.uuid)
        datagram = pet.trap(
            record, guid, community, self.bmc.lan.values[lan.P_IP],
            int((time.monotonic() - self.started) * 100),
            manufacturer=self.bmc.mfgid, system_id=self.bmc.prodid)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                sock.sendto(datagram, (str(address), self.trap_port))
                self.sent += 1
            except OSError as err:
                LOG.warning('trap to %s failed: %s', address, err)
