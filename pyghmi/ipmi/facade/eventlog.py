"""``Command``'s the system event log and platform event traps (section 31,
PET 1.0), drop-in with pyghmi 1.6.19's methods and result shapes. A
mixin of :class:`pyghmi.ipmi.command.Command`; what it takes of the
facade is declared on the class.
"""

from typing import Union

from pyghmi import exceptions as exc
from pyghmi.ipmi import events as eventsmod
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.facade import sensors
from pyghmi.ipmi.facade.parts import CommandParts
from pyghmi.ipmi.private import args


class EventFlows(CommandParts):
    """Event methods as flows (:mod:`.flows`), which both Commands run
    (see the module text)."""

    def _sdr_or_none(self):
        try:
            return (yield from sensors.SensorFlows.init_sdr(self))
        except exc.IpmiException:
            return None         # events still decode, without names

    @flows.listed
    def get_event_log(self, clear: bool = False, clock_sync: bool = False,
                      details: bool = False):
        """Read the system event log, oldest first.

        :param clear: clear the log after reading it
        :param clock_sync: also return the Timestamp Clock Sync records
            (marked ``clock_sync``) that the time correction used
        :param details: add ``epoch`` (corrected seconds),
            ``timestamp_source`` and the raw event fields to each event
        :returns: list (asyncio: async generator) of event dicts with
            pyghmi 1.6.19's keys (see
            :mod:`pyghmi.ipmi.events`); ``timecode`` is the raw SEL time,
            ``timestamp`` the corrected local time where the log allows
            (absent where it is unknown)
        """
        args.flag('clear', clear)
        args.flag('clock_sync', clock_sync)
        args.flag('details', details)
        sdr = yield from self._sdr_or_none()
        handler = yield flows.VENDOR
        events = yield from eventsmod.fetch_events_flow(
            sdr, clear=clear, keep_sync=clock_sync, details=details,
            refine=lambda event, raw: handler.process_event(event, self,
                                                            raw))
        for event in events:
            yield event

    @flows.public
    def decode_pet(self, specifictrap: Union[int, bytes], petdata: bytes):
        """Decode an SNMP Platform Event Trap from this BMC.

        :param specifictrap: the trap's specific number (int or 4 bytes)
        :param petdata: the PET binary variable binding
        :returns: an event dict like those of :meth:`get_event_log`
        """
        sdr = yield from self._sdr_or_none()
        return eventsmod.decode_pet(specifictrap, petdata, sdr)


@flows.drives(EventFlows)
class EventCommands(EventFlows):
    """Event methods of the blocking ``Command``."""
