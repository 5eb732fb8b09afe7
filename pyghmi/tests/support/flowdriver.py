"""Drive an IPMI flow (:mod:`pyghmi.ipmi.facade.flows`) with forged
answers, for unit tests of the code that speaks to a BMC through flows
(vendor handlers, energy meters, IMM properties)."""

from pyghmi.ipmi.facade import flows


class _Forged(flows.Blocking):
    """The blocking driver, its requests answered by ``ask`` and its
    pauses recorded instead of slept."""

    def __init__(self, ask, sleeps):
        super().__init__(lambda netfn, command, data=b'', **options: {
            'data': ask(netfn, command, data)})
        self.sleeps = sleeps

    def perform(self, step):
        if isinstance(step, flows.Sleep):
            self.sleeps.append(step.seconds)
            return None, None
        return super().perform(step)


def drive(flow, ask, sleeps=None):
    """Run a call ``flow``: each request's answer data is
    ``ask(netfn, command, data)`` (bytes; an IpmiException it raises is
    thrown into the flow); :class:`flows.Sleep` steps are appended to
    ``sleeps`` (no time passes).

    :returns: what the flow returns
    """
    return _Forged(ask, [] if sleeps is None else sleeps).run(flow)
