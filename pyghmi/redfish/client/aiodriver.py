"""The asyncio driver of Redfish flows (:mod:`.flow`): the same flows as
the blocking driver (:mod:`.driver`), their HTTP through an
:class:`.aiotransport.AsyncTransport`, sleeps with ``asyncio.sleep`` and
:class:`.flow.Parallel` as tasks gathered on the loop (the transport
bounds how many connections they use).

Rules of this module:

* no thread; a cancelled call closes its flow (``GeneratorExit`` runs
  its ``finally`` blocks) and its connection, and leaves the rest of the
  client usable;
* a :class:`pyghmi.exceptions.PyghmiException` of a request is thrown
  into the flow, as the blocking driver does.
"""

import asyncio

from pyghmi.redfish.client import driver as rfdriver
from pyghmi.redfish.client import flow as rfflow


class AsyncDriver:
    """Runs flows against one BMC on the running event loop.

    :param transport: the :class:`.aiotransport.AsyncTransport`
    """

    def __init__(self, transport):
        self.transport = transport

    async def run(self, flow):
        """Run ``flow`` to its end; returns what it returns."""
        value, error = None, None
        try:
            while True:
                going, out = rfflow.step(flow, value, error)
                if not going:
                    return out
                if not isinstance(out, rfflow.Request):
                    raise TypeError('a listing flow run as a call: %r'
                                    % (out,))
                value, error = await self._perform(out)
        finally:
            flow.close()

    async def iterate(self, flow):
        """Run a listing ``flow``: an async generator of its items."""
        value, error = None, None
        try:
            while True:
                going, out = rfflow.step(flow, value, error)
                if not going:
                    return
                if isinstance(out, rfflow.Request):
                    value, error = await self._perform(out)
                else:
                    value, error = None, None
                    yield out
        finally:
            flow.close()

    async def _perform(self, request):
        try:
            if isinstance(request, rfflow.Http):
                return await self.transport.request(
                    request.method, request.path, request.body,
                    request.headers, timeout=request.timeout), None
            if isinstance(request, rfflow.Sleep):
                await asyncio.sleep(request.seconds)
                return None, None
            if isinstance(request, rfflow.Parallel):
                return list(await asyncio.gather(
                    *(self._guarded(f) for f in request.flows))), None
        except rfdriver.ERRORS as err:
            return None, err
        raise TypeError('not a request: %r' % (request,))

    async def _guarded(self, flow):
        try:
            return await self.run(flow)
        except rfdriver.ERRORS as err:
            return err
