"""IPMI methods written once for both drivers: a method is a *flow*, a
generator that yields :class:`Xraw` (one request) or :class:`Sleep` and
is sent the result, as the Redfish client's methods are.

The blocking ``Command`` runs a flow with :func:`run` (its requests
through ``xraw_command``); the asyncio ``Command``
(:mod:`pyghmi.aio.ipmi.command`) runs the very same generator with
``await``.  :func:`blocking` makes the blocking method of a flow, so an
area writes ``get_power = flows.blocking(ChassisFlows.get_power)`` and
the logic exists once.  Areas move to flows one by one; those not moved
yet are blocking-only (the asyncio API lists which it has).
"""

import functools
import time

from pyghmi.util import flows as utilflows

# name -> the flow function, for every method both drivers offer
PUBLIC: dict = {}


class Xraw:
    """Send one request and return ``xraw_command``'s dict (``netfn``,
    ``command``, ``code``, ``data``); an error completion code raises
    IpmiException into the flow, as ``xraw_command`` does.

    :param netfn: network function
    :param command: command number
    :param data: request data
    :param bridge_request: pyghmi's bridging dict, or None
    :param retry: False: send once (a BMC that resets as it answers)
    """

    __slots__ = ('netfn', 'command', 'data', 'bridge_request', 'retry')

    def __init__(self, netfn, command, data=(), bridge_request=None,
                 retry=True):
        self.netfn = netfn
        self.command = command
        self.data = bytes(data)
        self.bridge_request = bridge_request or None
        self.retry = retry


class Sleep:
    """Wait ``seconds`` (polling); result None."""

    __slots__ = ('seconds',)

    def __init__(self, seconds):
        self.seconds = seconds


def public(function):
    """Mark a flow as a method of both Commands."""
    PUBLIC[function.__name__] = function
    return function


def run(command, flow):
    """Run ``flow`` on the blocking ``command``; returns its result."""
    value, error = None, None
    while True:
        going, step = utilflows.step(flow, value, error)
        if not going:
            return step
        value, error = None, None
        try:
            if isinstance(step, Xraw):
                value = command.xraw_command(
                    step.netfn, step.command, data=step.data,
                    bridge_request=step.bridge_request or (),
                    retry=step.retry)
            elif isinstance(step, Sleep):
                time.sleep(step.seconds)
            else:
                raise TypeError('not an IPMI request: %r' % (step,))
        except TypeError:
            raise
        except Exception as err:       # thrown into the flow, as raised
            error = err


def blocking(flow_function):
    """The blocking method running ``flow_function``'s flow."""
    @functools.wraps(flow_function)
    def method(self, *args, **kwargs):
        return run(self, flow_function(self, *args, **kwargs))
    return method
