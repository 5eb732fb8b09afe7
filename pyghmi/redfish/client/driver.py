"""The blocking driver of Redfish flows (:mod:`.flow`): HTTP through a
:class:`.transport.Transport`, sleeps with ``time.sleep``, and
:class:`.flow.Parallel` on a few short-lived threads sharing the
transport's pool of kept-alive connections.

Rules of this module:

* the flow decides everything; the driver only performs its requests;
* a :class:`pyghmi.exceptions.PyghmiException` of a request is thrown
  into the flow (which may catch it), anything else is a bug and rises;
* parallel work never uses more threads than the pool has connections,
  and its threads end with the request that needed them (a process
  holding a thousand idle ``Command`` objects holds no thread for them).
"""

import threading
import time

from pyghmi import exceptions as exc
from pyghmi.redfish.client import flow as rfflow

# what a request may raise into its flow (UnrecognizedCertificate is
# not a PyghmiException in pyghmi's hierarchy)
ERRORS = (exc.PyghmiException, exc.UnrecognizedCertificate)


class Driver:
    """Runs flows against one BMC.

    :param transport: the :class:`.transport.Transport` to the BMC
    :param workers: flows of a :class:`.flow.Parallel` run at once
    """

    def __init__(self, transport, workers=4):
        self.transport = transport
        self.workers = max(1, workers)
        self._local = threading.local()

    def run(self, flow):
        """Run ``flow`` to its end and return what it returns.

        :raises PyghmiException: what the flow raises
        """
        value, error = None, None
        while True:
            going, out = rfflow.step(flow, value, error)
            if not going:
                return out
            if not isinstance(out, rfflow.Request):
                raise TypeError('a listing flow run as a call: %r'
                                % (out,))
            value, error = self._perform(out)

    def iterate(self, flow):
        """Run a listing ``flow``, yielding its items as they come."""
        value, error = None, None
        while True:
            going, out = rfflow.step(flow, value, error)
            if not going:
                return
            if isinstance(out, rfflow.Request):
                value, error = self._perform(out)
            else:
                value, error = None, None
                yield out

    def _perform(self, request):
        """``(result, None)`` or ``(None, exception)`` of one request."""
        try:
            if isinstance(request, rfflow.Http):
                return self.transport.request(
                    request.method, request.path, request.body,
                    request.headers, timeout=request.timeout), None
            if isinstance(request, rfflow.Sleep):
                time.sleep(request.seconds)
                return None, None
            if isinstance(request, rfflow.Parallel):
                return self._parallel(request.flows), None
        except ERRORS as err:
            return None, err
        raise TypeError('not a request: %r' % (request,))

    def _parallel(self, flows):
        results = [None] * len(flows)
        if len(flows) < 2 or getattr(self._local, 'worker', False):
            for index, flow in enumerate(flows):
                results[index] = self._guarded(flow)
            return results
        pending = list(enumerate(flows))
        lock = threading.Lock()

        def work():
            self._local.worker = True
            while True:
                with lock:
                    if not pending:
                        return
                    index, flow = pending.pop(0)
                results[index] = self._guarded(flow)
        threads = [threading.Thread(target=work, daemon=True)
                   for _ in range(min(self.workers, len(flows)))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def _guarded(self, flow):
        try:
            return self.run(flow)
        except ERRORS as err:
            return err
