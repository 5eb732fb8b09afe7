"""A vendor handler for the made-up Acme BMC (doc/source/oem.rst).

Acme's BMC (IANA enterprise number 1048574, invented for this example)
answers three OEM commands on network function 30h:

* 01h Get Features: one byte, bit 0 set when LED states can be read;
* 02h Get LED States: one byte per LED (Fault, Identify, Power):
  0 off, 1 on, 2 blinking;
* 03h Get BIOS Version: the version as ASCII text.

Installed packages announce handlers through the ``pyghmi.oem_handlers``
entry point group, named after the manufacturer id (or
``manufacturer.product``)::

    [project.entry-points."pyghmi.oem_handlers"]
    1048574 = "acme_oem:AcmeHandler"
"""

from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.oem import generic

ACME_IANA = 1048574
NETFN_ACME = 0x30
GET_FEATURES, GET_LEDS, GET_BIOS_VERSION = 0x01, 0x02, 0x03
LED_NAMES = ('Fault', 'Identify', 'Power')
LED_STATES = {0: 'Off', 1: 'On', 2: 'Blinking'}


class AcmeHandler(generic.OEMHandler):
    """Acme's LEDs and BIOS version; everything else stays generic.

    The hooks that ask the BMC are flow hooks: they yield their requests
    (``flows.Xraw``) and are sent the answers, so that both the blocking
    and the asyncio ``Command`` run them.
    """

    has_leds = False

    @flows.hook
    def prepare(self):
        """Probe once, without retries: if the BMC does not answer, this
        raises and pyghmi falls back to the generic handler."""
        rsp = yield flows.Xraw(NETFN_ACME, GET_FEATURES, retry=False)
        self.has_leds = bool(rsp['data']) and bool(rsp['data'][0] & 1)

    @flows.hook
    def get_leds(self):
        """One category, 'LEDs', with the state of each LED."""
        if not self.has_leds:
            return ()
        rsp = yield flows.Xraw(NETFN_ACME, GET_LEDS)
        return [('LEDs', {name: LED_STATES.get(state, 'Unknown')
                          for name, state in zip(LED_NAMES, rsp['data'])})]

    @flows.listing_hook
    def get_oem_firmware(self, bmcver, components, category):
        """The BMC version, as generically, then the BIOS."""
        yield from super().get_oem_firmware(bmcver, components, category)
        rsp = yield flows.Xraw(NETFN_ACME, GET_BIOS_VERSION)
        version = bytes(rsp['data']).decode('ascii', 'replace')
        yield 'BIOS', {'version': version}
