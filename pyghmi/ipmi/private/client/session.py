"""Client sessions: the thread-safe facade over the sans-IO core.

The driver of :class:`~pyghmi.ipmi.private.client.core.ClientCore` is in
three modules: this one (:class:`Session`, pyghmi's handle, with its
requests, callbacks and fork handling), :mod:`.shared` (the logins
handles share, which run the core) and :mod:`.endpoint` (the sockets and
the routing of datagrams).

Rules:

* a :class:`Session` is a light handle; the login itself is a
  :class:`shared.SharedLogin` (one core) shared by every handle with the
  same BMC address, user, password, Kg, privilege and cipher suite, and
  closed when its last handle logs out or at exit;
* the core is only touched under its shared lock; the calling thread
  encodes and sends, and reads the reply itself when no other caller is
  reading (the loop thread's reading is paused meanwhile, and stays so
  until some session awaits a datagram again); otherwise the loop thread
  receives; timers always fire in the loop thread;
* UDP sockets are per address family and shared by all sessions; replies
  are routed by our session id, which is unique in the process;
* every wait is bounded; synchronous callers block on a per-request lock.
"""

import collections
import logging
import os
import queue
import socket
import time
import typing

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import args
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.client import core as clientcore
from pyghmi.ipmi.private.client import rawresult
from pyghmi.ipmi.private.client import shared as logins
from pyghmi.ipmi.private.client import window
from pyghmi.ipmi.private.secure import crypto

LOG = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 1.0
DEFAULT_RETRIES = 3

# This process's id, kept current across fork: os.getpid() is a system
# call, and every request checks that its session belongs here.
_pid = os.getpid()
# Added to the core's own worst case before a caller gives up waiting:
# the bound only matters if a completion were lost (a bug), and keeps
# every call finite even then.
WAIT_SLACK = 1.0
_callbacks: 'queue.Queue[tuple]' = queue.Queue()


def _resolve(bmc, port):
    # An ASCII name or address goes in as bytes: a str makes the socket
    # module load the IDNA codec (over 1 ms, on the first login of every
    # process, pyghmiutil's included), which only non-ASCII names need.
    host = bmc.encode('ascii') if isinstance(bmc, str) and bmc.isascii() \
        else bmc
    try:
        infos = socket.getaddrinfo(host, port, 0, socket.SOCK_DGRAM)
    except (socket.gaierror, UnicodeError) as err:
        raise exc.IpmiException('Cannot resolve BMC %s: %s' % (bmc, err),
                                bmc=bmc) from None
    family, _, _, _, sockaddr = infos[0]
    return family, sockaddr


def login_params(bmc, userid, password, port=623, kg=None, privlevel=None,
                 keepalive=True, cipher=None, timeout=None, retries=None,
                 allow_no_auth=False, ipmi_version=None, max_inflight=None):
    """The checked :class:`~.core.LoginParams` of a session (any
    driver's), with :class:`Session`'s defaults.

    :raises InvalidParameterValue: a bad argument, named
    """
    args.login(bmc, port, keepalive, cipher, timeout, retries,
               allow_no_auth, ipmi_version, max_inflight,
               crypto.CIPHER_SUITES, window.CAP)
    return clientcore.LoginParams(
        bmc, args.secret_bytes('userid', userid, 16),
        args.secret_bytes('password', password, 20),
        kg=args.secret_bytes('kg', kg, 20) or None,
        privlevel=args.privilege('privlevel', privlevel,
                                 const.PRIVILEGE_NAMES),
        cipher=cipher,
        timeout=timeout or DEFAULT_TIMEOUT,
        retries=DEFAULT_RETRIES if retries is None else retries,
        keepalive=keepalive, ipmi_version=ipmi_version,
        allow_no_auth=allow_no_auth, max_inflight=max_inflight)


class Session:
    """A client session to one BMC (IPMI 2.0 / RMCP+ over UDP).

    :param bmc: host name or address (IPv4 or IPv6)
    :param userid: user name (str or bytes, at most 16 bytes)
    :param password: password (str or bytes, at most 20 bytes)
    :param port: UDP port, 623 by default
    :param kg: BMC key (Kg), or None
    :param onlogon: if given, log in in the background and call
        ``onlogon(response)`` from :meth:`wait_for_rsp` with
        ``{'success': True}`` or ``{'error': text}``
    :param privlevel: 1-4 or a name ('administrator'...); None asks for
        administrator and steps down to what the BMC grants
    :param keepalive: keep the session alive while idle (else close it and
        log in again on the next request)
    :param cipher: cipher suite id; None picks 17, else 3
    :param timeout: seconds to wait for the first reply to a packet
    :param retries: times a packet is sent again before giving up
    :param allow_no_auth: permit cipher suite 0 when given explicitly (and
        IPMI 1.5 auth type none)
    :param ipmi_version: 2.0 (RMCP+ only), 1.5 (IPMI 1.5 sessions only),
        or None: RMCP+, falling back to IPMI 1.5 for BMCs without it
    :param max_inflight: requests in flight at once (1-32) for
        :meth:`request_many`, or None for an adaptive window
    :raises IpmiException: login failed (subclasses say why)
    :raises InvalidParameterValue: bad arguments
    """

    def __init__(self, bmc, userid, password, port=623, kg=None,
                 onlogon=None, privlevel=None, keepalive=True, cipher=None,
                 timeout=None, retries=None, allow_no_auth=False,
                 ipmi_version=None, max_inflight=None):
        # every argument is checked here, once (Command builds a
        # Session with what it was given)
        params = login_params(bmc, userid, password, port, kg, privlevel,
                              keepalive, cipher, timeout, retries,
                              allow_no_auth, ipmi_version, max_inflight)
        self.bmc = bmc
        self.port = port
        self.userid = userid
        # This handle's own settings: the shared login may have been made
        # by another Command with other ones.
        self._timeout = params.timeout
        self._retries = params.retries
        self._params = params
        self._closed = False
        family, sockaddr = _resolve(bmc, port)
        self._shared: typing.Any = self._attach(family, sockaddr, params)
        self._onlogon = onlogon
        # (netfn, command) -> asynchronous requests without an answer yet
        self._outstanding: typing.Counter[tuple] = collections.Counter()
        if onlogon is not None:
            self._login_async()
        else:
            self._login_sync()

    def __repr__(self):
        return 'Session(bmc=%r, port=%r)' % (self.bmc, self.port)

    @staticmethod
    def _attach(family, sockaddr, params):
        key = (sockaddr[:2], params.userid,
               crypto.hash_secret(params.password, params.kg),
               params.privlevel, params.cipher, params.keepalive,
               params.ipmi_version, params.max_inflight)
        with logins.registry_lock:
            shared = logins.registry.get(key)
            if shared is None or shared.endpoint.pid != os.getpid():
                shared = logins.SharedLogin(key, params, sockaddr, family)
                logins.registry[key] = shared
            shared.refs += 1
            return shared

    def _max_wait(self, timeout=None):
        """How long a caller blocks at most: the core's own worst case
        for a request (its tries, a re-login, its tries again), plus
        slack; the core always finishes first unless it has a bug."""
        return clientcore.request_budget(
            self._shared.core.params, timeout or self._timeout,
            self._retries) + WAIT_SLACK

    def _login_sync(self):
        shared = self._shared
        waiter = logins.Waiter()
        with shared.lock:
            if shared.core.active:
                return
            shared.login_waiters.append(waiter)
        shared.run(shared.core.login)
        if not waiter.wait(self._max_wait()):
            self.logout()
            raise exc.IpmiTimeoutError(
                'Login to %s did not complete' % self.bmc,
                code=const.CC_NO_RESPONSE, bmc=self.bmc)
        if waiter.value is not None:
            self.logout()
            raise waiter.value

    def _login_async(self):
        shared = self._shared

        def done(error):
            if error is None:
                _callbacks.put((self.onlogon, {'success': True}))
            else:
                _callbacks.put((self.onlogon, {'error': str(error)}))
        with shared.lock:
            if shared.core.active:
                _callbacks.put((self.onlogon, {'success': True}))
                return
            shared.login_waiters.append(done)
        shared.run(shared.core.login)

    def onlogon(self, parameter):
        """Called from :meth:`wait_for_rsp` when a background login ends:
        hands ``{'success': True}`` or ``{'error': text}`` to the
        ``onlogon`` callable the session was made with."""
        self.lastlogon = parameter
        if self._onlogon is not None:
            self._onlogon(parameter)

    def login(self):
        """Log in now if the session is not established (a no-op when
        it is); waits for the outcome.

        :raises IpmiException: the login failed
        """
        if self._closed:
            # logout() released the shared login: take a fresh one
            shared = self._shared
            self._shared = self._attach(shared.family, shared.sockaddr,
                                        self._params)
            self._closed = False
        self._login_sync()

    @property
    def ipmiversion(self):
        """1.5 or 2.0: the IPMI version of the established session (2.0
        before the first login)."""
        return self._shared.core.ipmi_version or 2.0

    @property
    def logged(self):
        """True while the shared session is established."""
        return not self._closed and self._shared.core.active

    @property
    def broken(self):
        """True when the last login attempt failed."""
        return self._shared.core.state == clientcore.State.FAILED

    def request(self, netfn, command, data=(), bridge_request=None,
                retry=True, timeout=None, rslun=0):
        """Send one IPMI request and wait for its response.

        :param netfn: network function (request, even)
        :param command: command number
        :param data: request data bytes
        :param bridge_request: ``{'addr': target address, 'channel': n}``
            to reach a controller behind the BMC, or None
        :param retry: retransmit and re-login when no answer comes
        :param timeout: seconds to wait for the first reply
        :param rslun: responder LUN
        :returns: ``(completion_code, data_bytes)``
        :raises IpmiTimeoutError: no answer within the retries
        :raises IpmiException: the session could not be (re)established
        """
        if self._closed:
            raise exc.IpmiException('Session is logged out', bmc=self.bmc)
        shared = self._in_this_process()
        waiter = logins.Waiter()
        req = clientcore.Request(netfn, command, bytes(data),
                                 bridge=bridge_request or None, rslun=rslun,
                                 retry=retry, timeout=timeout or self._timeout,
                                 retries=self._retries, callback=waiter)
        if not shared.endpoint.exchange(
                lambda: shared.run(shared.core.submit, req), waiter,
                self._max_wait(timeout)):
            raise exc.IpmiTimeoutError(
                'No response from %s' % self.bmc, code=const.CC_NO_RESPONSE,
                bmc=self.bmc, netfn=netfn, command=command)
        if req.error is not None:
            raise req.error
        return req.code, req.data_out

    def request_many(self, items):
        """Send several requests at once and wait for all of them.

        They are queued together, so the session keeps up to its window
        in flight (pipelining); each is answered, retried and timed out
        on its own.

        :param items: ``(netfn, command, data, bridge_request, retry,
            timeout, rslun)`` tuples
        :returns: per item, in order, ``(completion_code, data_bytes)``
            or the exception that ended it
        :raises IpmiException: the session is logged out
        """
        if self._closed:
            raise exc.IpmiException('Session is logged out', bmc=self.bmc)
        if not items:
            return []
        shared = self._in_this_process()
        waiter = logins.CountWaiter(len(items))
        reqs = [clientcore.Request(
            netfn, command, bytes(data), bridge=bridge or None, rslun=rslun,
            retry=retry, timeout=timeout or self._timeout,
            retries=self._retries, callback=waiter)
            for netfn, command, data, bridge, retry, timeout, rslun in items]

        def submit_all(now):
            for req in reqs:
                shared.core.submit(req, now)
        longest = max(req.timeout for req in reqs)
        # the last request may wait behind all the others' tries
        budget = self._max_wait(longest) + len(reqs) * clientcore.step_budget(
            longest, self._retries)
        shared.endpoint.exchange(lambda: shared.run(submit_all), waiter,
                                 budget)
        results = []
        for req in reqs:
            if req.error is not None:
                results.append(req.error)
            elif req.code is None:
                results.append(exc.IpmiTimeoutError(
                    'No response from %s' % self.bmc,
                    code=const.CC_NO_RESPONSE, bmc=self.bmc,
                    netfn=req.netfn, command=req.cmd))
            else:
                results.append((req.code, req.data_out))
        return results

    def raw_command(self, netfn, command, bridge_request=None, data=(),
                    retry=True, delay_xmit=None, timeout=None, callback=None,
                    rslun=0):
        """Send a raw request, pyghmi style: errors come back in the dict.

        :param callback: if given, do not wait: return None at once and
            call ``callback(response)`` later from :meth:`wait_for_rsp`
        :returns: ``{'netfn', 'command', 'code', 'data'}`` plus ``'error'``
            (text) when the completion code is not zero or the request
            failed (then ``code`` is the error's code, 0xFFFF on time-out)
        """
        if callback is not None:
            return self._raw_async(netfn, command, bridge_request, data,
                                   retry, timeout, rslun, callback)
        if delay_xmit:
            time.sleep(min(float(delay_xmit), 60.0))
        return rawresult.raw_result(self.request, netfn, command, data,
                                    bridge_request, retry, timeout, rslun)

    def _raw_async(self, netfn, command, bridge_request, data, retry,
                   timeout, rslun, callback):
        """Submit without waiting; ``callback(dict)`` runs from
        :meth:`wait_for_rsp` in the caller's thread."""
        key = (netfn, command)
        self._outstanding[key] += 1

        def done(req):
            _callbacks.put((self._answered(key, callback),
                            rawresult.request_dict(req)))
        req = clientcore.Request(netfn, command, bytes(data),
                                 bridge=bridge_request or None, rslun=rslun,
                                 retry=retry, timeout=timeout or self._timeout,
                                 retries=self._retries, callback=done)
        shared = self._in_this_process()
        shared.run(shared.core.submit, req)

    def _answered(self, key, callback):
        def deliver(rsp):
            self._outstanding[key] -= 1
            if self._outstanding[key] <= 0:
                del self._outstanding[key]
            callback(rsp)
        return deliver

    def awaitresponse(self, retry, netfn, command):
        """Run callbacks until every asynchronous request of this session
        for ``netfn`` / ``command`` has been answered, within the
        session's worst-case wait.

        :param retry: False waits for one callback round only
        :returns: True when none is outstanding any more
        """
        key = (netfn, command)
        deadline = time.monotonic() + self._max_wait()
        while self._outstanding.get(key):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self.wait_for_rsp(timeout=left)
            if not retry:
                break
        return not self._outstanding.get(key)

    def process_pktqueue(self):
        """Run the callbacks whose answers have already arrived, without
        waiting (the I/O thread receives packets; this delivers).

        :returns: how many ran
        """
        return self.wait_for_rsp(timeout=0)

    def _in_this_process(self):
        """The shared login, re-established in a forked child.

        A child inherits the parent's session objects but not its I/O
        thread, and must not send with the parent's session keys and
        sequence numbers: it logs in afresh with its own session (and
        leaves the parent's alone).
        """
        shared = self._shared
        if shared.endpoint.pid == _pid:
            return shared
        self._shared = self._attach(shared.family, shared.sockaddr,
                                    self._params)
        self._login_sync()
        return self._shared

    def send_payload(self, payload=None, payload_type=None, retry=True,
                     delay_xmit=None, needskeepalive=False, timeout=None):
        """Send one payload of a type other than IPMI (SOL: 1, OEM: 2)
        in this session, once: its own protocol acknowledges and resends
        (see :mod:`pyghmi.ipmi.console`).

        :param payload: the payload bytes
        :param payload_type: its type (1 when None)
        :param retry, delay_xmit, needskeepalive, timeout: accepted for
            pyghmi compatibility; ``delay_xmit`` waits that many seconds
            first, the others do not apply to a single datagram
        :raises InvalidParameterValue: an IPMI payload (use
            :meth:`raw_command`) or no payload
        :raises IpmiException: no session is active
        """
        ptype = const.PAYLOAD_SOL if payload_type is None else payload_type
        if payload is None or ptype == const.PAYLOAD_IPMI:
            raise exc.InvalidParameterValue(
                'payload: bytes of a non-IPMI payload type (IPMI '
                'requests go through raw_command)')
        if delay_xmit:
            time.sleep(min(float(delay_xmit), 60.0))
        shared = self._in_this_process()
        sent = []
        shared.run(lambda now: sent.append(shared.core.send_raw_payload(
            ptype, bytes(bytearray(payload)), now)))
        if not sent[0]:
            raise exc.IpmiException('No active session to send in',
                                    bmc=self.bmc)

    def register_keepalive(self, cmd, callback):
        """Have the idle session kept alive by this request (instead of
        Get Device ID): ``cmd`` is ``{'netfn', 'command', 'data'}``;
        ``callback(response)`` runs from :meth:`wait_for_rsp` with the
        ``raw_command``-style answer of each.

        :returns: an id for :meth:`unregister_keepalive`
        """
        netfn, command = cmd['netfn'], cmd['command']
        data = bytes(bytearray(cmd.get('data', ())))

        def done(req):
            _callbacks.put((callback, rawresult.request_dict(req)))
        shared = self._in_this_process()
        with shared.lock:
            return shared.core.register_keepalive(netfn, command, data,
                                                  done)

    def unregister_keepalive(self, regid):
        """Stop a keepalive registered with :meth:`register_keepalive`."""
        with self._shared.lock:
            self._shared.core.unregister_keepalive(regid)

    def run_on_core(self, func, *args):
        """Call ``func(*args, now)`` with the session core locked, then
        send what it (or a payload sink) queued: how a payload handler
        such as the SOL console acts on its session."""
        self._in_this_process().run(func, *args)

    def logout(self, sessionok=True):
        """Release this handle; the last one closes the BMC session.

        :returns: ``{'success': True}``
        """
        if self._closed:
            return {'success': True}
        self._closed = True
        shared = self._shared
        if shared.endpoint.pid != os.getpid():
            return {'success': True}      # the parent's: not ours to close
        with logins.registry_lock:
            shared.refs -= 1
            last = shared.refs <= 0
            key = shared.key
            if last and logins.registry.get(key) is shared:
                del logins.registry[key]
        if last:
            logins.close_shared(shared, clientcore.step_budget(
                self._params.timeout, self._params.retries) + WAIT_SLACK)
        return {'success': True}

    @classmethod
    def wait_for_rsp(cls, timeout=None, callout=True):
        """Run pending callbacks (``onlogon``...) in the calling thread.

        :param timeout: longest time to wait for one, None for no limit
        :param callout: False waits for a callback to be pending without
            running any
        :returns: the number of callbacks run (with ``callout`` False:
            the number pending)
        """
        count = 0
        if not callout:
            return _pending_callbacks(timeout)
        try:
            func, arg = _callbacks.get(timeout=timeout)
        except queue.Empty:
            return 0
        while True:
            func(arg)
            count += 1
            try:
                func, arg = _callbacks.get_nowait()
            except queue.Empty:
                return count

    @staticmethod
    def queue_callback(func, arg):
        """Have ``func(arg)`` run by the next :meth:`wait_for_rsp`."""
        _callbacks.put((func, arg))

    @classmethod
    def pause(cls, timeout):
        """Run callbacks as they come for ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            cls.wait_for_rsp(timeout=left)


def _pending_callbacks(timeout):
    # queue.Queue has no peek: wait on its condition (which holds the
    # queue's mutex, so its deque is read directly) for an item.
    with _callbacks.not_empty:
        if not _callbacks.queue and timeout != 0:
            _callbacks.not_empty.wait(timeout)
        return len(_callbacks.queue)


def _after_fork_in_child():
    global _callbacks, _pid
    _pid = os.getpid()
    # the same kind of queue as the parent's: wait_for_rsp(callout=False)
    # reads its condition and deque (a SimpleQueue has neither)
    _callbacks = queue.Queue()


os.register_at_fork(after_in_child=_after_fork_in_child)
