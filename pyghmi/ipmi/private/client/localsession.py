"""In-band IPMI through the Linux IPMI device interface (``/dev/ipmi0``).

``Command()`` with no BMC address talks to the local BMC this way, as
pyghmi 1.6.19 did.  The kernel's driver (``ipmi_si`` / ``ipmi_ssif`` and
``ipmi_devintf``) does the framing and the bridging; this module fills
its ``ipmi_req`` / ``ipmi_recv`` structures (include/uapi/linux/ipmi.h)
and waits, with a bound, for the answer carrying its own message id
(events and answers to other requests are skipped).

Layers: :class:`IpmiDevice` is the device (open, ``ioctl``, ``poll``,
all injectable so the structure handling is tested without a kernel);
:class:`Session` gives it the interface of the network session
(``request``, ``raw_command``, ``logout``).
"""

import ctypes
import errno
import fcntl
import itertools
import os
import select
import threading
import time

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.client import rawresult

# Address types and channel of include/uapi/linux/ipmi.h.
SYSTEM_INTERFACE_ADDR_TYPE = 0x0C
IPMB_ADDR_TYPE = 0x01
BMC_CHANNEL = 0x0F
# recv_type of a response to one of our requests (others: events,
# commands for us, OEM messages).
RESPONSE_RECV_TYPE = 1
MAX_MESSAGE = 4096           # the kernel's largest IPMI message, and more
DEFAULT_TIMEOUT = 5.0        # seconds per try (the driver retries itself)


class IpmiMsg(ctypes.Structure):
    """struct ipmi_msg."""

    _fields_ = [('netfn', ctypes.c_ubyte),
                ('cmd', ctypes.c_ubyte),
                ('data_len', ctypes.c_ushort),
                ('data', ctypes.POINTER(ctypes.c_ubyte))]


class IpmiSystemInterfaceAddr(ctypes.Structure):
    """struct ipmi_system_interface_addr: the local BMC."""

    _fields_ = [('addr_type', ctypes.c_int),
                ('channel', ctypes.c_short),
                ('lun', ctypes.c_ubyte)]


class IpmiIpmbAddr(ctypes.Structure):
    """struct ipmi_ipmb_addr: a controller on a channel (bridging)."""

    _fields_ = [('addr_type', ctypes.c_int),
                ('channel', ctypes.c_short),
                ('slave_addr', ctypes.c_ubyte),
                ('lun', ctypes.c_ubyte)]


class IpmiReq(ctypes.Structure):
    """struct ipmi_req."""

    _fields_ = [('addr', ctypes.POINTER(ctypes.c_ubyte)),
                ('addr_len', ctypes.c_uint),
                ('msgid', ctypes.c_long),
                ('msg', IpmiMsg)]


class IpmiRecv(ctypes.Structure):
    """struct ipmi_recv."""

    _fields_ = [('recv_type', ctypes.c_int),
                ('addr', ctypes.POINTER(ctypes.c_ubyte)),
                ('addr_len', ctypes.c_uint),
                ('msgid', ctypes.c_long),
                ('msg', IpmiMsg)]


def _ioc(direction, number, size):
    # asm-generic/ioctl.h: direction 2 bits, size 14, type 8, number 8
    return direction << 30 | size << 16 | ord('i') << 8 | number


_READ, _READ_WRITE = 2, 3
IPMICTL_RECEIVE_MSG_TRUNC = _ioc(_READ_WRITE, 11, ctypes.sizeof(IpmiRecv))
IPMICTL_SEND_COMMAND = _ioc(_READ, 13, ctypes.sizeof(IpmiReq))
IPMICTL_SET_MY_ADDRESS_CMD = _ioc(_READ, 17, ctypes.sizeof(ctypes.c_uint))


def _address(bridge_request, rslun):
    """The kernel address structure of a request's destination."""
    if bridge_request:
        return IpmiIpmbAddr(IPMB_ADDR_TYPE, bridge_request.get('channel', 0),
                            bridge_request['addr'], rslun)
    return IpmiSystemInterfaceAddr(SYSTEM_INTERFACE_ADDR_TYPE, BMC_CHANNEL,
                                   rslun)


class IpmiDevice:
    """The kernel's IPMI character device.

    :param devnode: its path
    :param opener: ``opener(path) -> fd`` (``os.open`` read-write)
    :param ioctl: ``ioctl(fd, request, structure)`` (``fcntl.ioctl``)
    :param waiter: ``waiter(fd, seconds) -> bool``, True when readable
    :param closer: ``closer(fd)`` (``os.close``)
    :raises IpmiException: the device cannot be opened
    """

    def __init__(self, devnode='/dev/ipmi0', opener=None, ioctl=None,
                 waiter=None, closer=None):
        self.devnode = devnode
        self._ioctl = ioctl or fcntl.ioctl
        self._wait = waiter or _poll_readable
        self._close = closer or os.close
        try:
            self.fd = (opener or _open)(devnode)
        except OSError as err:
            raise exc.IpmiException(
                'In-band IPMI device %s is not available (%s); load the '
                'ipmi_devintf and ipmi_si kernel modules, and run with '
                'access to the device' % (devnode, err.strerror or err),
                code=const.CC_NO_RESPONSE) from None
        self._buffer = ctypes.create_string_buffer(MAX_MESSAGE)
        self._addr = ctypes.create_string_buffer(
            max(ctypes.sizeof(IpmiIpmbAddr),
                ctypes.sizeof(IpmiSystemInterfaceAddr)))
        my_address = ctypes.c_uint(const.BMC_SLAVE_ADDR)
        self._ioctl(self.fd, IPMICTL_SET_MY_ADDRESS_CMD, my_address)

    def __repr__(self):
        return 'IpmiDevice(%r)' % (self.devnode,)

    def send(self, msgid, netfn, cmd, data, bridge_request=None, rslun=0):
        """Queue one request with the driver."""
        data = bytes(data)
        if len(data) > MAX_MESSAGE:
            raise exc.InvalidParameterValue('data: longer than %d bytes'
                                            % MAX_MESSAGE)
        addr = _address(bridge_request, rslun)
        payload = ctypes.create_string_buffer(data, max(1, len(data)))
        req = IpmiReq()
        req.addr = ctypes.cast(ctypes.pointer(addr),
                               ctypes.POINTER(ctypes.c_ubyte))
        req.addr_len = ctypes.sizeof(addr)
        req.msgid = msgid
        req.msg.netfn, req.msg.cmd = netfn, cmd
        req.msg.data_len = len(data)
        req.msg.data = ctypes.cast(payload, ctypes.POINTER(ctypes.c_ubyte))
        self._ioctl(self.fd, IPMICTL_SEND_COMMAND, req)

    def receive(self, timeout):
        """The next message from the driver, or None after ``timeout``.

        :returns: ``(recv_type, msgid, netfn, cmd, data)``; ``data`` starts
            with the completion code for responses
        """
        if not self._wait(self.fd, timeout):
            return None
        recv = IpmiRecv()
        recv.addr = ctypes.cast(self._addr, ctypes.POINTER(ctypes.c_ubyte))
        recv.addr_len = ctypes.sizeof(self._addr)
        recv.msg.data = ctypes.cast(self._buffer,
                                    ctypes.POINTER(ctypes.c_ubyte))
        recv.msg.data_len = MAX_MESSAGE
        try:
            self._ioctl(self.fd, IPMICTL_RECEIVE_MSG_TRUNC, recv)
        except OSError as err:
            if err.errno == errno.EAGAIN:
                return None         # taken by another reader meanwhile
            if err.errno != errno.EMSGSIZE:
                raise
        size = min(recv.msg.data_len, MAX_MESSAGE)
        return (recv.recv_type, recv.msgid, recv.msg.netfn, recv.msg.cmd,
                self._buffer.raw[:size])

    def close(self):
        """Close the device (idempotent)."""
        if self.fd is not None:
            fd, self.fd = self.fd, None
            self._close(fd)


def _open(path):
    return os.open(path, os.O_RDWR | os.O_CLOEXEC)


def _poll_readable(fd, seconds):
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(max(0.0, seconds) * 1000))


class Session:
    """An in-band session to the local BMC, with the network session's
    interface.

    :param devnode: the IPMI device (``/dev/ipmi0``)
    :param device: an :class:`IpmiDevice` (or a stand-in) to use instead
    :raises IpmiException: the device cannot be opened
    """

    def __init__(self, devnode='/dev/ipmi0', device=None):
        self.devnode = devnode
        self.device = device or IpmiDevice(devnode)
        self.bmc = devnode
        self.ipmiversion = 2.0
        self.userid = self.password = None
        self._msgids = itertools.count(1)
        self._lock = threading.Lock()   # one request at a time per device
        self._last_result = None

    def __repr__(self):
        return 'localsession.Session(%r)' % (self.devnode,)

    def request(self, netfn, command, data=(), bridge_request=None,
                retry=True, timeout=None, rslun=0):
        """Send one request and wait for its response.

        :param retry: False gives up after ``timeout`` (the driver itself
            retries on the interface); True waits two periods
        :returns: ``(completion_code, data_bytes)``
        :raises IpmiTimeoutError: no response within the bound
        :raises IpmiException: the device refused the request
        """
        wait = (timeout or DEFAULT_TIMEOUT) * (2 if retry else 1)
        with self._lock:
            msgid = next(self._msgids) & 0x7FFFFFFF
            try:
                self.device.send(msgid, netfn, command, data,
                                 bridge_request, rslun)
            except OSError as err:
                raise exc.IpmiException(
                    'IPMI device %s refused the request: %s' % (
                        self.devnode, err.strerror or err)) from None
            return self._await(msgid, netfn, command, wait)

    def request_many(self, items):
        """Several requests, one after another (the kernel driver
        queues them itself; nothing is gained by overlapping here).

        :param items: ``(netfn, command, data, bridge_request, retry,
            timeout, rslun)`` tuples
        :returns: per item ``(code, data)`` or the exception that ended it
        """
        results = []
        for netfn, command, data, bridge, retry, timeout, rslun in items:
            try:
                results.append(self.request(netfn, command, data, bridge,
                                            retry, timeout, rslun))
            except exc.IpmiException as err:
                results.append(err)
        return results

    def _await(self, msgid, netfn, command, wait):
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise exc.IpmiTimeoutError(
                    'No response from the local BMC (netfn 0x%02x command '
                    '0x%02x)' % (netfn, command), code=const.CC_NO_RESPONSE,
                    bmc=self.devnode, netfn=netfn, command=command)
            got = self.device.receive(left)
            if got is None:
                continue
            recv_type, got_id, _, _, data = got
            if recv_type == RESPONSE_RECV_TYPE and got_id == msgid:
                if not data:
                    raise exc.BmcErrorException(
                        'empty response from the local BMC')
                return data[0], data[1:]
            # an event, a command for us, or a late answer: not ours

    def raw_command(self, netfn, command, data=(), bridge_request=None,
                    retry=True, delay_xmit=None, timeout=None,
                    waitall=False, rslun=0):
        """A raw request, pyghmi style: errors come back in the dict.

        :param waitall: ignored (kept for pyghmi's signature)
        :returns: ``{'netfn', 'command', 'code', 'data'}`` plus ``'error'``
            when the completion code is not zero or the request failed
        """
        if delay_xmit:
            time.sleep(min(float(delay_xmit), 60.0))
        result = rawresult.raw_result(self.request, netfn, command, data,
                                      bridge_request, retry, timeout, rslun)
        self._last_result = result
        return result

    @property
    def parsed_rsp(self):
        """The result dict of the last :meth:`raw_command` (pyghmi kept
        its last reply here too), a copy; None before the first."""
        if self._last_result is None:
            return None
        copy = dict(self._last_result)
        if 'data' in copy:
            copy['data'] = bytearray(copy['data'])
        return copy

    def await_reply(self):
        """Wait until the device has something to read (bounded by the
        default time-out)."""
        self.device._wait(self.device.fd, DEFAULT_TIMEOUT)

    def pause(self, seconds):
        """Sleep ``seconds`` (nothing runs in the background in-band)."""
        time.sleep(seconds)

    def logout(self, sessionok=True):
        """Close the device.

        :returns: ``{'success': True}``
        """
        self.device.close()
        return {'success': True}

    @property
    def logged(self):
        """True while the device is open."""
        return self.device.fd is not None
