"""What a client session is given: its login parameters, its requests,
and the retry schedule both follow (time-out estimate and budgets).

Pure data and arithmetic, shared by the login and the scheduler of
:class:`~pyghmi.ipmi.private.client.core.ClientCore` and by the driver
(``session.py``), which bounds its waits with the same budgets.
"""

import functools


# Handshake steps that wait for an answer: auth capabilities, cipher
# suites, Open Session, RAKP 1, RAKP 3, Set Session Privilege Level.
LOGIN_STEPS = 6
# How a login survives a lossy network (every rule within the login's
# time budget, :func:`login_budget`, after which it fails):
# * every step is retransmitted ``retries`` times with growing waits;
# * RAKP 3 unanswered after this many tries restarts the handshake from
#   Open Session with a fresh console session id (a lost RAKP 4 cannot be
#   recovered by resending RAKP 3: most BMCs ignore it once the session
#   is active); the session the BMC may have activated is closed first;
RAKP_TRIES_BEFORE_RESTART = 2
# * a step that runs out of tries restarts too (discovery steps are just
#   tried afresh), but only when the BMC has answered something during
#   this login: a dead or unreachable BMC fails after one step's tries;
# * an authentication check that the network can fail (a RAKP 2 or 4
#   code that does not check out, RAKP 4 status 0Fh) restarts it once
#   before it is reported as a wrong password or Kg;
# * at most this many restarts in all, a guard against loops.
MAX_HANDSHAKE_RESTARTS = 16
# A "node busy" answer to a pipelined request: sent again this many
# times (with a smaller window) before the caller sees it.
BUSY_RESENDS = 3


# A BMC that has not answered yet is tried for this long, with the
# default 1 s time-out (FreeIPMI's ipmipower keeps trying a silent BMC
# for its 20 s session time-out): a datagram lost at first contact is
# not taken for a dead BMC.  It scales with ``timeout``, so a caller who
# scans for live BMCs with ``timeout=0.25`` gives up after 5 s.
FIRST_CONTACT_TRIES_TIME = 20.0


@functools.lru_cache(maxsize=64)
def step_budget(timeout, retries):
    """Longest one packet exchange can take (7 s with the defaults, 1 s
    and 3 retries): the time ``retries`` resends would take with waits
    growing from ``timeout`` by half of it each, capped at four times
    it.  Within it, tries go out as often as the measured round trip
    says (:class:`pyghmi.ipmi.private.rto.RetransmitTimer`): every
    ``timeout`` while it is unknown (7 tries with the defaults), more
    often on a BMC that answers fast."""
    return sum(min(timeout * (1.0 + 0.5 * n), timeout * 4)
               for n in range(retries + 1))


def first_contact_time(params):
    """How long a login tries a BMC that has not answered yet before it
    fails: :data:`FIRST_CONTACT_TRIES_TIME` times ``timeout`` (20 s with
    the defaults), at most 20 s, and never less than one exchange's
    budget."""
    return max(step_budget(params.timeout, params.retries),
               min(FIRST_CONTACT_TRIES_TIME,
                   FIRST_CONTACT_TRIES_TIME * params.timeout))


def login_budget(params, known_alive=False):
    """The time a login may take, enforced by the core (55 s with the
    defaults): first contact, then :data:`LOGIN_STEPS` - 1 exchanges
    that each use their whole budget.  A refusal, a dead BMC or a wrong
    password ends it sooner; restarts under loss happen within it.

    :param known_alive: the BMC answered this client before (a re-login
        with a cipher suite that worked): no first contact, so
        :data:`LOGIN_STEPS` exchanges (42 s with the defaults)
    """
    step = step_budget(params.timeout, params.retries)
    if known_alive:
        return LOGIN_STEPS * step
    return first_contact_time(params) + (LOGIN_STEPS - 1) * step


def request_budget(params, timeout=None, retries=None):
    """Longest a request can take: its own tries (``timeout`` and
    ``retries`` when the request has its own), one transparent re-login
    with the login's ``params``, and its tries again (69 s with the
    defaults)."""
    step = step_budget(timeout or params.timeout,
                       params.retries if retries is None else retries)
    return 2 * step + login_budget(params)


class LoginParams:
    """What a session needs to log in; the secrets stay out of ``repr``.

    :param bmc: the BMC's name, used in error messages
    :param userid: user name as bytes (at most 16)
    :param password: password as bytes (at most 20)
    :param kg: BMC key as bytes, or None
    :param privlevel: privilege level 1-4, or None for the highest granted
    :param cipher: cipher suite id, or None to choose (17, else 3)
    :param timeout: seconds a try waits for an answer before the BMC's
        round trip is known, and at most after (see
        :class:`~pyghmi.ipmi.private.rto.RetransmitTimer`)
    :param retries: sets the time an exchange is tried for
        (:func:`step_budget`)
    :param keepalive: keep an idle session alive (else close it when idle)
    :param ipmi_version: 2.0 (RMCP+ only), 1.5 (IPMI 1.5 sessions only),
        or None: RMCP+, and IPMI 1.5 when the BMC has no RMCP+
    :param allow_no_auth: permit auth type none of IPMI 1.5
    :param max_inflight: requests kept in flight at once (1..32), or
        None for a window that adapts (see :mod:`window`)
    """

    __slots__ = ('bmc', 'userid', 'password', 'kg', 'privlevel', 'cipher',
                 'timeout', 'retries', 'keepalive', 'keepalive_interval',
                 'idle_close', 'ipmi_version', 'allow_no_auth',
                 'max_inflight')

    def __init__(self, bmc, userid, password, kg=None, privlevel=None,
                 cipher=None, timeout=1.0, retries=3, keepalive=True,
                 ipmi_version=None, allow_no_auth=False, max_inflight=None):
        self.bmc = bmc
        self.userid = userid
        self.password = password
        self.kg = kg
        self.privlevel = privlevel
        self.cipher = cipher
        self.timeout = timeout
        self.retries = retries
        self.keepalive = keepalive
        self.keepalive_interval = 25.0
        self.idle_close = 30.0
        self.ipmi_version = ipmi_version
        self.allow_no_auth = allow_no_auth
        self.max_inflight = max_inflight

    def __repr__(self):
        return 'LoginParams(bmc=%r, privlevel=%r, cipher=%r)' % (
            self.bmc, self.privlevel, self.cipher)


class Request:
    """One IPMI request and, once done, its outcome.

    ``callback(request)`` is called exactly once, from the thread driving
    the core, when ``code``/``data`` or ``error`` is set; ``finished_at``
    is the core's time then (None when the request was failed outside a
    call that has one, as by ``close``).
    """

    __slots__ = ('netfn', 'cmd', 'data', 'bridge', 'rslun', 'retry',
                 'timeout', 'callback', 'code', 'data_out', 'error', 'seq',
                 'attempts', 'relogged', 'internal', 'acked', 'message',
                 'retries', 'deadline', 'busy_tries', 'finished_at',
                 'sent_at', 'give_up_at')

    def __init__(self, netfn, cmd, data=b'', bridge=None, rslun=0,
                 retry=True, timeout=None, callback=None, internal=False,
                 retries=None):
        self.netfn = netfn
        self.cmd = cmd
        self.data = bytes(data)
        self.bridge = bridge
        self.rslun = rslun
        self.retry = retry
        self.timeout = timeout
        self.callback = callback
        self.code = None
        self.data_out = b''
        self.error = None
        self.seq = 0
        self.attempts = 0
        self.relogged = False
        self.internal = internal
        self.acked = False
        self.message = b''         # the encoded IPMI message
        self.retries = retries     # None: the session's
        self.deadline = None       # when the current try times out
        self.busy_tries = 0            # resent after a pipelined "node busy"
        self.finished_at = None
        self.sent_at = None            # when its first try went out
        self.give_up_at = None         # when its tries end

    def finish(self, code=None, data=b'', error=None, now=None):
        """Record the outcome (at the core's time ``now``) and call the
        callback (then dropped: a callback that keeps the request, as a
        synchronous caller's waiter does, would otherwise make a
        reference cycle per request that only the garbage collector
        frees)."""
        self.finished_at = now
        self.code = code
        self.data_out = data
        self.error = error
        callback, self.callback = self.callback, None
        if callback is not None:
            callback(self)


def hex_byte(value):
    """A byte as two hex digits for a log line ('??' if it is none)."""
    try:
        return '%02x' % value
    except TypeError:
        return '??'
