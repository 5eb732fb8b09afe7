"""What the flows of both protocols share: advancing a generator by one
request, and naming the method a driver makes of a flow.

A *flow* is a generator method that yields the I/O it needs and is sent
the result (:mod:`pyghmi.redfish.client.flow` for Redfish,
:mod:`pyghmi.ipmi.facade.flows` for IPMI); each driver (blocking,
asyncio) loops over :func:`step`, and exposes the flow as a method with
:func:`describe`.
"""


def step(flow, value, error):
    """Advance ``flow`` by one: send ``value`` or throw ``error``.

    :returns: ``(True, yielded)`` or ``(False, returned value)``
    """
    try:
        if error is not None:
            return True, flow.throw(error)
        return True, flow.send(value)
    except StopIteration as done:
        return False, done.value


def describe(method, owner, name, flow_function):
    """Give ``method`` (a driver's wrapper) the flow's name, documentation
    and signature (``inspect.signature`` follows ``__wrapped__``)."""
    method.__name__ = name
    method.__qualname__ = '%s.%s' % (owner, name)
    method.__doc__ = flow_function.__doc__
    setattr(method, '__wrapped__', flow_function)
    return method
