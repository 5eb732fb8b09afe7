"""``Command``'s the system event log and platform event traps (section 31,
PET 1.0), drop-in with pyghmi 1.6.19's methods and result shapes. A
mixin of :class:`pyghmi.ipmi.command.Command`; what it takes of the
facade is declared on the class.
"""

from typing import Any, Dict, List, Union

from pyghmi import exceptions as exc
from pyghmi.ipmi import events as eventsmod
from pyghmi.ipmi.facade.parts import CommandParts
from pyghmi.ipmi.private import args


class EventCommands(CommandParts):
    """Event methods of ``Command`` (see the module text)."""

    def get_event_log(self, clear: bool = False, clock_sync: bool = False,
                      details: bool = False) -> List[Dict[str, Any]]:
        """Read the system event log, oldest first.

        :param clear: clear the log after reading it
        :param clock_sync: also return the Timestamp Clock Sync records
            (marked ``clock_sync``) that the time correction used
        :param details: add ``epoch`` (corrected seconds),
            ``timestamp_source`` and the raw event fields to each event
        :returns: list of event dicts with pyghmi 1.6.19's keys (see
            :mod:`pyghmi.ipmi.events`); ``timecode`` is the raw SEL time,
            ``timestamp`` the corrected local time where the log allows
            (absent where it is unknown)
        """
        args.flag('clear', clear)
        args.flag('clock_sync', clock_sync)
        args.flag('details', details)
        try:
            sdr = self.init_sdr()
        except exc.IpmiException:
            sdr = None          # events still decode, without names
        handler = self._handler
        return eventsmod.fetch_events(
            self.xraw_command, sdr, clear=clear, keep_sync=clock_sync,
            details=details,
            refine=lambda event, raw: handler.process_event(event, self,
                                                            raw),
            xraw_many=self.xraw_commands)

    def decode_pet(self, specifictrap: Union[int, bytes],
                   petdata: bytes) -> Dict[str, Any]:
        """Decode an SNMP Platform Event Trap from this BMC.

        :param specifictrap: the trap's specific number (int or 4 bytes)
        :param petdata: the PET binary variable binding
        :returns: an event dict like those of :meth:`get_event_log`
        """
        try:
            sdr = self.init_sdr()
        except exc.IpmiException:
            sdr = None
        return eventsmod.decode_pet(specifictrap, petdata, sdr)
