"""virshbmc: an IPMI 2.0 BMC in front of a libvirt domain.

    virshbmc --domain NAME [--connect URI] [--port P] [--address A]
             [--user U] [--password W]
             [--redfish-port P [--redfish-address A] [--cert F --key F]]

Power (status, on, off = destroy, soft = ACPI shutdown, reset, cycle),
boot device (network, hd, optical, floppy; written into the domain's
persistent XML) and Serial over LAN, bridged to the domain's serial
console through a libvirt console stream.  The password may also come
from ``VIRSHBMC_PASSWORD`` (keeps it out of the process list).  A BMC
cold reset (``ipmitool mc reset cold``) stops virshbmc.

With ``--redfish-port`` (0: a free port) the domain is served over
Redfish (HTTPS, loopback unless ``--redfish-address``) too: power and
reset, boot device, UUID, from the same BMC, so one process replaces a
virtualbmc and a sushy-emulator for the domain.  ``redfish on URL
sha256$FINGERPRINT`` is printed.
"""

import argparse
import logging
import os
import signal
import sys
import threading
import uuid

from pyghmi.cmd import domainxml
from pyghmi.ipmi import bmc
from pyghmi.ipmi.private import constants as const

LOG = logging.getLogger('pyghmi.virshbmc')
NOT_IN_STATE = 0xD5     # "not supported in present state" (table 5-2)
CONSOLE_CHUNK = 4096
_MISSING_LIBVIRT = (
    'virshbmc needs the libvirt Python bindings: install python3-libvirt '
    '(Debian, RHEL) or "pip install libvirt-python"')

_event_loop_lock = threading.Lock()
_event_loop_thread = None


def _libvirt():
    """The libvirt module; ImportError says what to install."""
    try:
        import libvirt
    except ImportError:
        raise ImportError(_MISSING_LIBVIRT) from None
    return libvirt


def _quiet(_unused, _error):
    """libvirt's default handler prints every error on stderr; virshbmc
    reports the ones that matter itself."""


def start_event_loop(libvirt):
    """Run libvirt's default event loop in a daemon thread (once per
    process); console streams and domain events need it, and it must
    be registered before the connection is opened."""
    global _event_loop_thread
    with _event_loop_lock:
        if _event_loop_thread is not None:
            return
        libvirt.virEventRegisterDefaultImpl()
        libvirt.registerErrorHandler(_quiet, None)

        def run():
            while True:
                libvirt.virEventRunDefaultImpl()
        _event_loop_thread = threading.Thread(
            target=run, name='libvirt-events', daemon=True)
        _event_loop_thread.start()


class DomainConsole:
    """The serial console of a domain as a non-blocking libvirt stream.

    ``deliver(bytes)`` receives the console output (on libvirt's event
    thread); ``send`` queues input and writes what the stream takes,
    the rest when it becomes writable; ``on_hangup()`` is called once
    when the stream ends (domain stopped, console taken).
    """

    def __init__(self, libvirt, conn, domain, deliver, on_hangup):
        self._lv = libvirt
        self._deliver = deliver
        self._on_hangup = on_hangup
        self._lock = threading.Lock()
        self._pending = b''
        self._closed = False
        self.stream = conn.newStream(libvirt.VIR_STREAM_NONBLOCK)
        try:
            domain.openConsole(None, self.stream, 0)
        except Exception:
            self._abort()
            raise
        self._events = (libvirt.VIR_STREAM_EVENT_READABLE |
                        libvirt.VIR_STREAM_EVENT_ERROR |
                        libvirt.VIR_STREAM_EVENT_HANGUP)
        self.stream.eventAddCallback(self._events, self._on_event, None)

    def _on_event(self, stream, events, _opaque):
        lv = self._lv
        if events & lv.VIR_STREAM_EVENT_READABLE and not self._read():
            return self._hangup()
        if events & lv.VIR_STREAM_EVENT_WRITABLE:
            with self._lock:
                self._flush()
        if events & (lv.VIR_STREAM_EVENT_ERROR | lv.VIR_STREAM_EVENT_HANGUP):
            self._hangup()

    def _read(self):
        """Deliver what is readable; False at the end of the stream."""
        while not self._closed:
            try:
                data = self.stream.recv(CONSOLE_CHUNK)
            except self._lv.libvirtError as err:
                LOG.info('console stream failed: %s', err)
                return False
            if data == -2:          # would block: all read
                return True
            if not data:
                return False
            self._deliver(bytes(data))
        return True

    def send(self, data):
        """Queue ``data`` for the console's input and write what the
        stream accepts now."""
        with self._lock:
            if self._closed:
                return
            self._pending += bytes(data)
            self._flush()

    def _flush(self):
        while self._pending and not self._closed:
            try:
                sent = self.stream.send(self._pending)
            except self._lv.libvirtError as err:
                LOG.info('console input dropped: %s', err)
                self._pending = b''
                return
            if sent == -2:          # full: resume when writable
                self._watch(self._lv.VIR_STREAM_EVENT_WRITABLE)
                return
            self._pending = self._pending[sent:]
        self._watch(0)

    def _watch(self, extra):
        try:
            self.stream.eventUpdateCallback(self._events | extra)
        except self._lv.libvirtError:
            pass

    def _hangup(self):
        if self.close():
            self._on_hangup()

    def close(self):
        """Stop watching and abort the stream; True the first time."""
        with self._lock:
            if self._closed:
                return False
            self._closed = True
            self._pending = b''
        try:
            self.stream.eventRemoveCallback()
        except self._lv.libvirtError:
            pass
        self._abort()
        return True

    def _abort(self):
        try:
            self.stream.abort()
        except self._lv.libvirtError:
            pass


class LibvirtBmc(bmc.Bmc):
    """A BMC for the libvirt domain ``domain`` of ``hypervisor`` (a
    libvirt URI).  Raises libvirt.libvirtError when the hypervisor
    cannot be reached or has no such domain, ImportError when libvirt's
    bindings are missing."""

    def __init__(self, authdata, hypervisor, domain, port=623,
                 address='::', **kwargs):
        self._lv = lv = _libvirt()
        start_event_loop(lv)
        self.conn = lv.open(hypervisor)
        try:
            self.domain = self.conn.lookupByName(domain)
        except lv.libvirtError:
            self.conn.close()
            raise
        self.name = domain
        super().__init__(authdata, port=port, address=address, **kwargs)
        self.console = None
        self._console_lock = threading.Lock()
        self.uuid = uuid.UUID(bytes=self.domain.UUID())
        self.conn.domainEventRegisterAny(
            self.domain, lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
            self._lifecycle, None)

    # --------------------------------------------------------- power
    def is_active(self):
        """True when the domain runs (SOL is offered only then)."""
        return bool(self.domain.isActive())

    def get_power_state(self):
        """'on' while the domain is active, else 'off'."""
        return 'on' if self.is_active() else 'off'

    def power_on(self):
        """Start the domain (0xD5 when it already runs)."""
        if self.is_active():
            return NOT_IN_STATE
        self.domain.create()

    def power_off(self):
        """Hard power off: destroy the running domain."""
        if not self.is_active():
            return NOT_IN_STATE
        self.domain.destroy()

    def power_shutdown(self):
        """Soft power off: ask the guest to shut down (ACPI)."""
        if not self.is_active():
            return NOT_IN_STATE
        self.domain.shutdown()

    def power_reset(self):
        """Hard reset of the running domain."""
        if not self.is_active():
            return NOT_IN_STATE
        self.domain.reset(0)

    def power_cycle(self):
        """Power off then on again (on alone when it was off, as a
        chassis does)."""
        if self.is_active():
            self.domain.destroy()
        self.domain.create()

    def cold_reset(self):
        """A BMC cold reset ends virshbmc (after the answer is sent)."""
        LOG.warning('BMC cold reset requested: stopping')
        loop = self._loop
        if loop is not None:
            loop.call_soon(self.stop)
        else:
            self.stop()

    # ---------------------------------------------------- boot device
    def get_boot_device(self):
        """The first boot device of the persistent definition."""
        return domainxml.boot_device(self._inactive_xml())

    def set_boot_device(self, bootdevice):
        """Write ``bootdevice`` into the domain's persistent XML (0xCC
        for a device libvirt cannot boot from); 'default' keeps it."""
        if bootdevice == 'default':
            return None
        try:
            xml = domainxml.with_boot_device(self._inactive_xml(),
                                             bootdevice)
        except ValueError:
            return const.CC_INVALID_DATA_FIELD
        self.conn.defineXML(xml)

    def _inactive_xml(self):
        return self.domain.XMLDesc(self._lv.VIR_DOMAIN_XML_INACTIVE)

    # ---------------------------------------------- Serial over LAN
    def iohandler(self, data):
        """Console input from the SOL client, to the domain's console."""
        current = self.console
        if current is not None:
            current.send(data)

    def sol_activated(self):
        """Open the domain's console for the new SOL session."""
        self._open_console()

    def sol_deactivated(self):
        """The SOL session ended: close the domain's console."""
        with self._console_lock:
            current, self.console = self.console, None
        if current is not None:
            current.close()

    def _open_console(self):
        with self._console_lock:
            if self.console is not None or self.sol is None:
                return
            try:
                self.console = DomainConsole(
                    self._lv, self.conn, self.domain, self._to_sol,
                    self._console_hangup)
            except self._lv.libvirtError as err:
                self._to_sol(b'\r\n[virshbmc: no console for domain %s: '
                             b'%s]\r\n' % (self.name.encode(),
                                           str(err).encode()))

    def _to_sol(self, data):
        current = self.sol
        if current is not None:
            current.send_data(data)

    def _console_hangup(self):
        with self._console_lock:
            self.console = None
        self._to_sol(b'\r\n[virshbmc: the console of domain %s closed]\r\n'
                     % self.name.encode())

    def _lifecycle(self, _conn, _domain, event, _detail, _opaque):
        # a domain that starts while SOL is active gets its console back
        if event == self._lv.VIR_DOMAIN_EVENT_STARTED and self.sol:
            self._open_console()

    def stop(self):
        """Stop serving and close the console stream."""
        self.sol_deactivated()
        super().stop()


def build_parser():
    """The argument parser (pyghmi 1.6.19's options and defaults, plus
    --address, --user and --password)."""
    parser = argparse.ArgumentParser(
        prog='virshbmc',
        description='Serve an IPMI 2.0 BMC for a libvirt domain.',
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--port', dest='port', type=int, default=623,
                        help='UDP port to listen on')
    parser.add_argument('--connect', dest='hypervisor',
                        default='qemu:///system',
                        help='libvirt URI of the hypervisor')
    parser.add_argument('--domain', dest='domain', required=True,
                        help='name of the domain to manage')
    parser.add_argument('--address', default='::',
                        help='address to listen on')
    parser.add_argument('--user', default='admin',
                        help='IPMI user name')
    parser.add_argument('--password', default=None,
                        help='IPMI password (default: VIRSHBMC_PASSWORD, '
                             'else "password")')
    parser.add_argument('--redfish-port', type=int, default=None,
                        help='also serve Redfish over HTTPS on this TCP '
                        'port (0: any free port)')
    parser.add_argument('--redfish-address', default='127.0.0.1',
                        help='address of the Redfish service')
    parser.add_argument('--cert', default=None,
                        help='PEM certificate of the Redfish service '
                        '(default: a self-signed one made at start-up)')
    parser.add_argument('--key', default=None, help='PEM key of --cert')
    parser.add_argument('-v', '--verbose', action='store_true',
                        help='log what the BMC does')
    return parser


def main(argv=None):
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else
                        logging.WARNING, format='virshbmc: %(message)s')
    password = args.password
    if password is None:
        password = os.environ.get('VIRSHBMC_PASSWORD', 'password')
    try:
        lv = _libvirt()
    except ImportError as err:
        print(err, file=sys.stderr)
        return 1
    try:
        server = LibvirtBmc({args.user: password}, args.hypervisor,
                            args.domain, port=args.port,
                            address=args.address)
    except lv.libvirtError as err:
        if err.get_error_code() == lv.VIR_ERR_NO_DOMAIN:
            print('virshbmc: %s has no domain named %r'
                  % (args.hypervisor, args.domain), file=sys.stderr)
        else:
            print('virshbmc: cannot use %s: %s' % (
                args.hypervisor, err.get_error_message() or err),
                file=sys.stderr)
        return 1
    except OSError as err:
        print('virshbmc: cannot listen on %s port %d: %s'
              % (args.address, args.port, err.strerror), file=sys.stderr)
        return 1
    signal.signal(signal.SIGINT, lambda *_: server.stop())
    signal.signal(signal.SIGTERM, lambda *_: server.stop())
    server.start()
    print('listening on %s:%d' % (args.address, server.port), flush=True)
    if args.redfish_port is not None:
        try:
            served = server.serve_redfish(args.redfish_port,
                                          args.redfish_address, args.cert,
                                          args.key, product='virshbmc')
        except (OSError, ValueError) as err:
            print('virshbmc: Redfish: %s' % err, file=sys.stderr)
            server.stop()
            return 1
        print('redfish on %s %s' % (served.url, served.fingerprint),
              flush=True)
    server.listen()
    return 0


if __name__ == '__main__':
    sys.exit(main())
