"""The generic Redfish handler: every public method of the Redfish
``Command`` as standard Redfish (DSP0266/DSP0268) does it.

A vendor handler subclasses :class:`OEMHandler` and overrides the flows
it does differently (``set_bootdev``, ``update_firmware``...), or the
hooks below (``get_user_expiration``, ``hostnic``).  Each public method
is a flow (:mod:`pyghmi.redfish.client.flow`): it yields its requests,
so the blocking and the asyncio ``Command`` drive the same code.
"""

import typing

from pyghmi.redfish.areas import accounts
from pyghmi.redfish.areas import bios
from pyghmi.redfish.areas import eventlog
from pyghmi.redfish.areas import firmware
from pyghmi.redfish.areas import inventory
from pyghmi.redfish.areas import media
from pyghmi.redfish.areas import network
from pyghmi.redfish.areas import power
from pyghmi.redfish.areas import sensors
from pyghmi.redfish.areas import services

SensorReading = sensors.SensorReading


class OEMHandler(power.Power, sensors.Sensors, eventlog.EventLog,
                 firmware.Firmware, accounts.Accounts, network.Network,
                 inventory.Inventory, bios.Bios, media.Media,
                 services.Services):
    """Standard Redfish.

    :param conn: an open :class:`pyghmi.redfish.client.connection.Connection`
    :param sysurl: the system's URI or id, when the BMC has several
    :param bmcurl: the manager's URI
    :param chassisurl: the chassis' URI
    """

    # the vendor's name for the records of lookup (None: generic)
    vendor: typing.Optional[str] = None

    @classmethod
    def from_handler(cls, other):
        """This handler with the state ``other`` found (the system,
        manager and chassis URIs, the connection)."""
        handler = cls.__new__(cls)
        handler.__dict__.update(other.__dict__)
        return handler

    def adopt(self):
        """Flow: what a vendor handler does once chosen (nothing here)."""
        return None
        yield   # pragma: no cover  (a flow)
