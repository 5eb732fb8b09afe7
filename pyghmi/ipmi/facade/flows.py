"""IPMI methods written once for both drivers: a method is a *flow*, a
generator that yields :class:`Xraw` (one request), :class:`XrawMany`
(pipelined requests) or :class:`Sleep` and is sent the result, as the
Redfish client's methods are.

The blocking ``Command`` runs a flow with :func:`run` (its requests
through ``xraw_command``); the asyncio ``Command``
(:mod:`pyghmi.aio.ipmi.command`) runs the very same generator with
``await``.  :func:`blocking` makes the blocking method of a flow, and
the class decorator :func:`drives` makes them for every public flow of
an area, so the logic exists once.  A flow marked :func:`listing` yields
its results too (whatever it yields that is not a request).

Vendor handlers' hooks that ask the BMC are flows too (:func:`hook`,
:func:`listing_hook`): the methods call every hook through
:func:`vendor`, :func:`vendor_items` or :func:`vendor_answer`, which get
the handler from the driver (:data:`VENDOR`: found on first need, as
pyghmi finds it), run a flow hook inside the method's flow and call a
plain hook (pyghmi's handlers, blocking) as it is.
"""

import functools
import inspect
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
    :param rslun: the responder's LUN (sensors on LUNs 1-3)
    :param timeout: seconds per try, or None: the session's
    """

    __slots__ = ('netfn', 'command', 'data', 'bridge_request', 'retry',
                 'rslun', 'timeout')

    def __init__(self, netfn, command, data=(), bridge_request=None,
                 retry=True, rslun=0, timeout=None):
        self.netfn = netfn
        self.command = command
        self.data = bytes(data)
        self.bridge_request = bridge_request or None
        self.retry = retry
        self.rslun = rslun
        self.timeout = timeout


class XrawMany:
    """Send requests together (pipelined, ``xraw_commands``); the result
    is the list of their ``xraw_command`` dicts, each failure (an
    IpmiException) in its place.

    :param requests: dicts of ``xraw_command`` keyword arguments
    """

    __slots__ = ('requests',)

    def __init__(self, requests):
        self.requests = list(requests)


class Sleep:
    """Wait ``seconds`` (polling); result None."""

    __slots__ = ('seconds',)

    def __init__(self, seconds):
        self.seconds = seconds


class Vendor:
    """Ask the driver for the vendor handler of the BMC (found on first
    need: Get Device ID, then :mod:`pyghmi.ipmi.oem.lookup`); result
    the handler.  Flows ask with ``handler = yield flows.VENDOR``."""

    __slots__ = ()

    def __repr__(self):
        return 'flows.VENDOR'


VENDOR = Vendor()
REQUESTS = (Xraw, XrawMany, Sleep, Vendor)


class Items:
    """What a method flow returns for a listing it leaves to be run as
    its caller takes the items (a vendor's listing hook, where pyghmi's
    method returned the handler's generator): the blocking method
    returns a generator running ``flow``; the asyncio method, the list
    of its items.

    :param flow: a listing flow
    """

    __slots__ = ('flow',)

    def __init__(self, flow):
        self.flow = flow


def public(function):
    """Mark a flow as a method of both Commands returning one result."""
    PUBLIC[function.__name__] = function
    function.pyghmi_kind = 'call'
    return function


def listing(function):
    """Mark a flow as a method of both Commands yielding its results:
    what the flow yields that is not a request is an item (a generator
    for the blocking API, an async generator for asyncio)."""
    PUBLIC[function.__name__] = function
    function.pyghmi_kind = 'listing'
    return function


def listed(function):
    """Mark a listing whose blocking method returns a list (where
    pyghmi 1.6.19 returned one); an async generator for asyncio."""
    PUBLIC[function.__name__] = function
    function.pyghmi_kind = 'listed'
    return function


def is_listing(function):
    """Whether ``function`` is a listing flow (either kind)."""
    return getattr(function, 'pyghmi_kind', 'call') in ('listing', 'listed')


class _Standard:
    """The type of :data:`STANDARD`."""

    __slots__ = ()

    def __repr__(self):
        return 'flows.STANDARD'


# what a vendor's flow hook returns to leave a method to the standard
# IPMI way (the facade's own flow), where its controller has nothing else
STANDARD = _Standard()


def hook(function):
    """Mark a vendor handler's method as a *flow hook*: a generator that
    yields :class:`Xraw` (and the other requests) and is sent their
    results, as a method flow is, so that both Commands can run it.

    A handler method not so marked is a *plain hook*, called as it is
    (pyghmi's handlers, which send requests through the blocking
    ``ipmicmd``): the blocking ``Command`` runs both kinds.

    :raises TypeError: ``function`` is not a generator function
    """
    return _mark_hook(function, 'call')


def listing_hook(function):
    """Mark a vendor handler's method as a flow hook that also yields
    its items (as a :func:`listing` flow does)."""
    return _mark_hook(function, 'listing')


def _mark_hook(function, kind):
    if not inspect.isgeneratorfunction(function):
        raise TypeError('%s: a flow hook is a generator function (it '
                        'yields its requests)' % (function.__qualname__,))
    function.pyghmi_hook = kind
    return function


def is_listing_hook(method):
    """Whether the handler hook ``method`` is a :func:`listing_hook`."""
    return getattr(method, 'pyghmi_hook', None) == 'listing'


def answer(method, *args, **kwargs):
    """Flow: the answer of the bound handler hook ``method``: a flow hook
    runs inside the calling flow (its requests go through the driver;
    a listing hook's items are collected in a list), a plain hook is
    called."""
    kind = getattr(method, 'pyghmi_hook', None)
    if kind == 'listing':
        return (yield from collect(method(*args, **kwargs)))
    if kind == 'call':
        return (yield from method(*args, **kwargs))
    return method(*args, **kwargs)


def vendor(name, *args, **kwargs):
    """Flow: the vendor handler's answer to its hook ``name``
    (:func:`answer`)."""
    handler = yield VENDOR
    return (yield from answer(getattr(handler, name), *args, **kwargs))


def vendor_items(name, *args):
    """Listing flow: the items of the vendor handler's hook ``name``
    (a listing hook's requests and items pass through; the answer of
    any other hook is iterated)."""
    method = getattr((yield VENDOR), name)
    if is_listing_hook(method):
        yield from method(*args)
        return
    for item in (yield from answer(method, *args)) or ():
        yield item


def vendor_answer(name, *args):
    """Flow: the answer of hook ``name`` where a vendor's handler class
    overrides the generic one (found by walking the MRO); where none
    does, or the vendor's flow hook returns it, :data:`STANDARD`: the
    facade then takes the standard way, one of its own flows."""
    handler = yield VENDOR
    defining = [cls for cls in type(handler).__mro__ if name in vars(cls)]
    if len(defining) < 2:
        return STANDARD
    return (yield from answer(getattr(handler, name), *args))


def collect(flow):
    """Flow: run the listing ``flow`` inside another flow (its requests
    pass through); returns the list of its items."""
    items: list = []
    value, error = None, None
    try:
        while True:
            going, step = utilflows.step(flow, value, error)
            if not going:
                return items
            value, error = None, None
            if isinstance(step, REQUESTS):
                try:
                    value = yield step
                except Exception as err:    # back into the inner flow
                    error = err
            else:
                items.append(step)
    finally:
        flow.close()


class Blocking:
    """Performs a flow's requests with blocking callables.

    :param xraw: ``Command.xraw_command``-like callable
    :param xraw_many: ``Command.xraw_commands``-like callable, or None:
        then the requests of an :class:`XrawMany` go one after the other
    :param vendor: a callable returning the vendor handler (asked by
        :data:`VENDOR`), or None where flows have none to ask for
    """

    __slots__ = ('xraw', 'xraw_many', 'vendor')

    def __init__(self, xraw, xraw_many=None, vendor=None):
        self.xraw = xraw
        self.xraw_many = xraw_many
        self.vendor = vendor

    def perform(self, step):
        """``(value, error)`` of one request; TypeError for anything
        that is not one."""
        try:
            if isinstance(step, Xraw):
                return self.xraw(step.netfn, step.command, data=step.data,
                                 **_options(step.bridge_request, step.retry,
                                            step.rslun, step.timeout)), None
            if isinstance(step, XrawMany):
                return self._many(step.requests), None
            if isinstance(step, Sleep):
                time.sleep(step.seconds)
                return None, None
            if isinstance(step, Vendor) and self.vendor is not None:
                return self.vendor(), None
        except Exception as err:       # thrown into the flow, as raised
            return None, err
        raise TypeError('not an IPMI request here: %r' % (step,))

    def _many(self, requests):
        if self.xraw_many is not None:
            return self.xraw_many(requests, return_exceptions=True)
        results = []
        for request in requests:
            request = dict(request)
            options = _options(request.pop('bridge_request', None),
                               request.pop('retry', True),
                               request.pop('rslun', 0),
                               request.pop('timeout', None))
            try:
                results.append(self.xraw(**request, **options))
            except Exception as err:   # in its place, as xraw_commands
                results.append(err)
        return results

    def run(self, flow):
        """Run a call ``flow`` to its end; returns what it returns."""
        value, error = None, None
        try:
            while True:
                going, step = utilflows.step(flow, value, error)
                if not going:
                    return step
                value, error = self.perform(step)
        finally:
            flow.close()

    def iterate(self, flow):
        """Run a listing ``flow``: a generator of its items."""
        value, error = None, None
        try:
            while True:
                going, step = utilflows.step(flow, value, error)
                if not going:
                    return
                if isinstance(step, REQUESTS):
                    value, error = self.perform(step)
                else:
                    value, error = None, None
                    yield step
        finally:
            flow.close()


def blocking_callables(command):
    """``(xraw_command, xraw_commands)`` of a blocking Command, for the
    objects pyghmi lets callers drive themselves (``SDR``, ``Dcmi``);
    ``(None, None)`` for an asyncio Command (its flows are awaited)."""
    xraw = command.xraw_command
    if inspect.iscoroutinefunction(xraw):
        return None, None
    return xraw, getattr(command, 'xraw_commands', None)


def _options(bridge_request, retry, rslun, timeout=None):
    """The keyword arguments of an xraw call that differ from the
    defaults (so that a plain ``xraw(netfn, command, data=...)``
    callable, as SDR(xraw) takes, is driven too)."""
    options = {}
    if bridge_request:
        options['bridge_request'] = bridge_request
    if retry is not True:
        options['retry'] = retry
    if rslun:
        options['rslun'] = rslun
    if timeout is not None:
        options['timeout'] = timeout
    return options


def driver_of(command):
    """The :class:`Blocking` driver of a blocking ``command``."""
    return Blocking(command.xraw_command,
                    getattr(command, 'xraw_commands', None),
                    lambda: command._handler)


def run(command, flow):
    """Run ``flow`` on the blocking ``command``; returns its result."""
    return driver_of(command).run(flow)


def blocking(flow_function):
    """The blocking method running ``flow_function``'s flow (a
    generator method for a listing)."""
    if getattr(flow_function, 'pyghmi_kind', None) == 'listed':
        @functools.wraps(flow_function)
        def list_method(self, *args, **kwargs):
            driver = driver_of(self)
            return list(driver.iterate(flow_function(self, *args,
                                                     **kwargs)))
        return list_method
    if is_listing(flow_function):
        @functools.wraps(flow_function)
        def listing_method(self, *args, **kwargs):
            driver = driver_of(self)
            yield from driver.iterate(flow_function(self, *args, **kwargs))
        return listing_method

    @functools.wraps(flow_function)
    def method(self, *args, **kwargs):
        driver = driver_of(self)
        result = driver.run(flow_function(self, *args, **kwargs))
        if isinstance(result, Items):
            return driver.iterate(result.flow)
        return result
    return method


def drives(area):
    """Class decorator: the blocking method of each public flow of
    ``area`` (a flows class the decorated class derives from)."""
    def decorate(cls):
        for name, function in vars(area).items():
            if name in PUBLIC and PUBLIC[name] is function:
                setattr(cls, name, blocking(function))
        return cls
    return decorate
