"""In-band access through the Linux IPMI device, with a stand-in kernel.

The stand-in reads and writes the ``ipmi_req`` / ``ipmi_recv``
structures through their pointers as the kernel's ipmi_devintf does, so
the structure layout, the ioctl numbers and the message-id matching are
exercised; the numbers are also checked against the values the kernel
header gives on 64-bit Linux (strace prints them for ipmitool -I open).
"""

import ctypes
import os
import errno
import struct
import sys

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import command
from pyghmi.ipmi.private.client import localsession as ls


class FakeKernel:
    """ipmi_devintf's side of the ioctls, answering from ``bmc(...)``."""

    def __init__(self, events_first=0, silent=False):
        self.queue = []
        self.sent = []
        self.my_address = None
        self.events_first = events_first
        self.silent = silent

    def opener(self, path):
        if path != '/dev/ipmi0':
            raise FileNotFoundError(errno.ENOENT, 'No such file', path)
        return 42

    def waiter(self, fd, seconds):
        return bool(self.queue)

    def closer(self, fd):
        assert fd == 42
        self.closed = True

    def ioctl(self, fd, request, arg):
        assert fd == 42
        if request == ls.IPMICTL_SET_MY_ADDRESS_CMD:
            self.my_address = arg.value
        elif request == ls.IPMICTL_SEND_COMMAND:
            self._send(arg)
        elif request == ls.IPMICTL_RECEIVE_MSG_TRUNC:
            self._receive(arg)
        else:
            raise OSError(errno.ENOTTY, 'bad ioctl')
        return 0

    def _send(self, req):
        addr = ctypes.string_at(req.addr, req.addr_len)
        addr_type, channel = struct.unpack_from('<ih', addr)
        data = ctypes.string_at(req.msg.data, req.msg.data_len)
        self.sent.append((addr_type, channel, addr[6:req.addr_len],
                          req.msg.netfn, req.msg.cmd, data))
        if self.silent:
            return
        for _ in range(self.events_first):   # an event, then a stray reply
            self.queue.append((2, 0, 0x05, 0x02, b'\x00' * 16))
            self.queue.append((1, req.msgid + 1000, req.msg.netfn + 1,
                               req.msg.cmd, b'\xc1'))
        self.queue.append((1, req.msgid, req.msg.netfn + 1, req.msg.cmd,
                           self.bmc(addr_type, req.msg.netfn, req.msg.cmd,
                                    data)))

    @staticmethod
    def bmc(addr_type, netfn, cmd, data):
        if (netfn, cmd) == (6, 1):          # Get Device ID
            return bytes.fromhex('00200181020200' '578a00' '0100')
        if (netfn, cmd) == (0, 1):          # Get Chassis Status: power on
            return b'\x00\x01\x00\x00'
        if addr_type == ls.IPMB_ADDR_TYPE and (netfn, cmd) == (4, 0x2D):
            return b'\x00\x42\xc0\x00'      # a bridged sensor reading
        return b'\xc1'

    def _receive(self, recv):
        recv_type, msgid, netfn, cmd, data = self.queue.pop(0)
        assert recv.addr_len >= ctypes.sizeof(ls.IpmiIpmbAddr)
        recv.recv_type, recv.msgid = recv_type, msgid
        recv.msg.netfn, recv.msg.cmd = netfn, cmd
        size = min(len(data), recv.msg.data_len)
        ctypes.memmove(recv.msg.data, data, size)
        recv.msg.data_len = size


def _session(kernel):
    return ls.Session(device=ls.IpmiDevice(
        opener=kernel.opener, ioctl=kernel.ioctl, waiter=kernel.waiter,
        closer=kernel.closer))


@pytest.mark.skipif(ctypes.sizeof(ctypes.c_void_p) != 8 or
                    not sys.platform.startswith('linux'),
                    reason='the ioctl numbers below are those of 64-bit '
                           'Linux')
def test_ioctl_numbers_of_64_bit_linux():
    # include/uapi/linux/ipmi.h: _IOR('i', 13, struct ipmi_req) (40
    # bytes), _IOWR('i', 11, struct ipmi_recv) (48), _IOR('i', 17, uint)
    assert ls.IPMICTL_SEND_COMMAND == 0x8028690D
    assert ls.IPMICTL_RECEIVE_MSG_TRUNC == 0xC030690B
    assert ls.IPMICTL_SET_MY_ADDRESS_CMD == 0x80046911


def test_requests_skip_events_and_other_answers():
    kernel = FakeKernel(events_first=2)
    s = _session(kernel)
    assert kernel.my_address == 0x20
    code, data = s.request(6, 1)
    assert code == 0 and data[:2] == b'\x20\x01'
    # the system interface address: type 0Ch, channel 0Fh (the BMC), LUN
    addr_type, channel, rest, netfn, cmd, sent = kernel.sent[-1]
    assert (addr_type, channel, rest[:1], netfn, cmd, sent) == (
        0x0C, 0x0F, b'\x00', 6, 1, b'')
    rsp = s.raw_command(0x30, 0x99, data=b'\x01\x02')
    assert rsp['code'] == 0xC1 and 'error' in rsp
    assert kernel.sent[-1][-1] == b'\x01\x02'
    assert not kernel.queue          # the strays were read and skipped


def test_parsed_rsp_is_the_last_raw_commands_result():
    s = _session(FakeKernel())
    assert s.parsed_rsp is None
    rsp = s.raw_command(6, 1)
    # pyghmi's shape: the response netfn, command, code and data
    assert s.parsed_rsp == rsp and rsp['netfn'] == 7 and rsp['code'] == 0
    s.parsed_rsp['data'][0] = 0xEE          # a copy each time
    assert s.parsed_rsp['data'][:1] == b'\x20'
    s.raw_command(0x30, 0x99)
    assert s.parsed_rsp['code'] == 0xC1 and 'error' in s.parsed_rsp


def test_bridged_request_uses_an_ipmb_address():
    kernel = FakeKernel()
    s = _session(kernel)
    code, data = s.request(4, 0x2D, b'\x10',
                           bridge_request={'addr': 0x2C, 'channel': 6},
                           rslun=1)
    assert (code, data) == (0, b'\x42\xc0\x00')
    addr_type, channel, rest, _, _, sent = kernel.sent[-1]
    assert (addr_type, channel, rest[:2], sent) == (1, 6, b'\x2c\x01',
                                                    b'\x10')


def test_no_answer_times_out_within_the_bound():
    s = _session(FakeKernel(silent=True))
    with pytest.raises(exc.IpmiTimeoutError):
        s.request(6, 1, timeout=0.05, retry=False)
    assert s.raw_command(6, 1, timeout=0.05, retry=False)['code'] == 0xFFFF


def test_command_without_a_bmc_goes_in_band(monkeypatch):
    kernel = FakeKernel()
    real = ls.IpmiDevice

    def device(devnode='/dev/ipmi0'):
        return real(devnode, kernel.opener, kernel.ioctl, kernel.waiter,
                    kernel.closer)
    monkeypatch.setattr(ls, 'IpmiDevice', device)
    c = command.Command()
    assert c.get_power() == {'powerstate': 'on'}
    assert c.get_device_id()['manufacturer_id'] == 0x8A57
    c.logout()
    assert not c.ipmi_session.logged and kernel.closed
    with pytest.raises(exc.IpmiException) as info:
        command.Command(devnode='/dev/ipmi7')
    assert '/dev/ipmi7' in str(info.value)


def test_missing_device_is_a_clear_error():
    with pytest.raises(exc.IpmiException) as info:
        ls.Session('/nonexistent/ipmi0')
    assert 'ipmi_devintf' in str(info.value)


@pytest.mark.skipif(not os.access('/dev/ipmi0', os.R_OK | os.W_OK),
                    reason='no usable /dev/ipmi0 on this machine (a '
                           'hardware check; the stand-in kernel above '
                           'covers the code)')
def test_the_real_local_bmc():
    c = command.Command()
    try:
        info = c.get_device_id()
        assert info['ipmi_version'] in ('1.5', '2.0')
    finally:
        c.logout()
