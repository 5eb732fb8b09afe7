"""virshbmc's pieces: the boot device in a domain's XML (libvirt's own
test driver says whether it accepts what we wrote) and the console
bridge on a stream that blocks, takes part of a write and hangs up."""

import xml.etree.ElementTree as ElementTree

import libvirt
import pytest

from pyghmi.cmd import domainxml
from pyghmi.cmd import virshbmc

# a domain that orders boot per device, as virt-install writes it
PER_DEVICE = """<domain type='test'>
  <name>perdev</name>
  <memory>65536</memory>
  <os><type>hvm</type><loader>/x/OVMF.fd</loader></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/guest/a.img'/><target dev='vda' bus='virtio'/>
      <boot order='1'/>
    </disk>
    <interface type='network'><source network='default'/>
      <boot order='2'/>
    </interface>
  </devices>
</domain>"""


def test_boot_device_names_both_ways():
    xml = "<domain><os><type>hvm</type><boot dev='cdrom'/>" \
          "<boot dev='hd'/></os></domain>"
    assert domainxml.boot_device(xml) == 'optical'
    assert domainxml.boot_device(PER_DEVICE) == 'default'
    for name, dev in domainxml.LIBVIRT_DEVICES.items():
        out = domainxml.with_boot_device(xml, name)
        assert [b.get('dev') for b in
                ElementTree.fromstring(out).iter('boot')] == [dev]
        assert domainxml.boot_device(out) == name


def test_unknown_device_and_missing_os_are_refused():
    with pytest.raises(ValueError):
        domainxml.with_boot_device(PER_DEVICE, 'setup')
    with pytest.raises(ValueError):
        domainxml.with_boot_device('<domain/>', 'hd')


def test_libvirt_accepts_the_rewritten_definition():
    conn = libvirt.open('test:///default')
    try:
        # libvirt refuses per-device order mixed with <os><boot>, so
        # this define succeeds only because the per-device ones are gone
        dom = conn.defineXML(domainxml.with_boot_device(PER_DEVICE,
                                                        'network'))
        back = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert domainxml.boot_device(back) == 'network'
        assert 'order=' not in back
        root = ElementTree.fromstring(back)
        tags = [child.tag for child in root.find('os')]
        assert tags.index('boot') > tags.index('loader')
        with pytest.raises(libvirt.libvirtError):
            mixed = PER_DEVICE.replace('<type>hvm</type>',
                                       "<type>hvm</type><boot dev='hd'/>")
            conn.defineXML(mixed)
    finally:
        conn.close()


class _Stream:
    """A non-blocking stream: takes at most ``room`` bytes per send
    (-2 when none), hands out ``output`` then -2, then b'' once
    ``ended``."""

    def __init__(self, room=3):
        self.room = room
        self.taken = b''
        self.output = []
        self.ended = False
        self.events = None
        self.callback = None
        self.aborted = 0

    def eventAddCallback(self, events, callback, opaque):
        self.events, self.callback = events, callback

    def eventUpdateCallback(self, events):
        self.events = events

    def eventRemoveCallback(self):
        self.callback = None

    def abort(self):
        self.aborted += 1

    def send(self, data):
        if not self.room:
            return -2
        part = data[:self.room]
        self.taken += part
        return len(part)

    def recv(self, size):
        if self.output:
            return self.output.pop(0)
        return b'' if self.ended else -2


class _Conn:
    def __init__(self, stream):
        self.stream = stream

    def newStream(self, flags):
        return self.stream


class _Domain:
    def __init__(self, fail=False):
        self.fail = fail

    def openConsole(self, dev, stream, flags):
        if self.fail:
            raise libvirt.libvirtError('no console')


def _console(stream, domain=None):
    got, hangups = [], []
    cons = virshbmc.DomainConsole(libvirt, _Conn(stream),
                                  domain or _Domain(), got.append,
                                  lambda: hangups.append(1))
    return cons, got, hangups


def test_input_waits_for_a_writable_stream_and_keeps_order():
    stream = _Stream(room=3)
    cons, _, _ = _console(stream)
    cons.send(b'abcdefg')
    assert stream.taken == b'abcdefg'          # three partial writes
    stream.room = 0
    cons.send(b'hij')
    assert stream.events & libvirt.VIR_STREAM_EVENT_WRITABLE
    cons.send(b'kl')
    stream.room = 2
    stream.callback(stream, libvirt.VIR_STREAM_EVENT_WRITABLE, None)
    assert stream.taken == b'abcdefghijkl'
    assert not stream.events & libvirt.VIR_STREAM_EVENT_WRITABLE


def test_output_is_delivered_until_the_stream_ends():
    stream = _Stream()
    cons, got, hangups = _console(stream)
    stream.output = [b'boot', b'ing']
    stream.callback(stream, libvirt.VIR_STREAM_EVENT_READABLE, None)
    assert got == [b'boot', b'ing'] and not hangups
    stream.ended = True
    stream.callback(stream, libvirt.VIR_STREAM_EVENT_READABLE, None)
    assert hangups == [1] and stream.aborted == 1
    stream.callback = None
    cons.send(b'late')                       # after the end: dropped
    assert stream.taken == b''
    assert not cons.close()                  # once only


def test_hangup_event_and_console_refusal():
    stream = _Stream()
    cons, _, hangups = _console(stream)
    stream.callback(stream, libvirt.VIR_STREAM_EVENT_HANGUP, None)
    assert hangups == [1]
    refused = _Stream()
    with pytest.raises(libvirt.libvirtError):
        _console(refused, _Domain(fail=True))
    assert refused.aborted == 1 and refused.callback is None
