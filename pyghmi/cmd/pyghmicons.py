"""pyghmicons: a Serial over LAN console in the terminal.

    pyghmicons [--port P] [--kg KEY] [--force] [--reconnect] BMC USER

The password comes from the IPMIPASSWORD environment variable, or from a
prompt when it is unset and standard input is a terminal.  On a terminal
the input is put in raw mode (restored on every way out); at the start
of a line ``~.`` leaves, ``~B`` sends a break, ``~?`` lists the escapes
and ``~~`` sends one ``~``.  With pipes, the console ends once the input
is exhausted, sent and acknowledged, and the output has been quiet for
``QUIET`` seconds.  Exit status: 0 after ``~.`` or the end of the input,
1 when the console cannot be opened or is lost, 2 for usage errors.
"""

import argparse
import getpass
import os
import signal
import sys
import threading
import time
import typing

from pyghmi.ipmi import console as ipmiconsole

QUIET = 1.0
HELP = (b'\r\nSupported escape sequences (at the start of a line):\r\n'
        b'  ~.  leave the console\r\n  ~B  send a serial break\r\n'
        b'  ~?  this help\r\n  ~~  send one ~\r\n')


class EscapeFilter:
    """Finds ``~`` escapes at line starts in typed input.

    :meth:`feed` returns ``(data to send, [actions])``; actions are
    'quit', 'break' and 'help'.
    """

    COMMANDS = {b'.': 'quit', b'B': 'break', b'b': 'break', b'?': 'help'}

    def __init__(self, escape=b'~'):
        self.escape = escape
        self.line_start = True
        self.pending = False

    def feed(self, data):
        """Filter one chunk of input."""
        out = bytearray()
        actions = []
        for value in data:
            char = bytes((value,))
            if self.pending:
                self.pending = False
                if char in self.COMMANDS:
                    actions.append(self.COMMANDS[char])
                    if actions[-1] == 'quit':
                        break
                    continue
                if char != self.escape:
                    out += self.escape   # not an escape: pass it on
            elif self.line_start and char == self.escape:
                self.pending = True
                continue
            out += char
            self.line_start = char in (b'\r', b'\n')
        return bytes(out), actions


def build_parser():
    """The argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog='pyghmicons',
        description='Serial over LAN console of a BMC. The password is '
                    'read from IPMIPASSWORD (or prompted). At the start '
                    'of a line: ~. leaves, ~B sends a break, ~? helps.')
    parser.add_argument('bmc', help='BMC address or host name')
    parser.add_argument('user', help='user name on the BMC')
    parser.add_argument('--port', type=int, default=623,
                        help='UDP port of the BMC (default 623)')
    parser.add_argument('--kg', help='the BMC key (Kg), if it needs one')
    parser.add_argument('--force', action='store_true',
                        help='take SOL over from another session')
    parser.add_argument('--reconnect', action='store_true',
                        help='activate SOL again when it is lost')
    return parser


class Terminal:
    """Raw mode on a terminal, restored by :meth:`restore` (idempotent)."""

    def __init__(self, fd):
        self.fd = fd
        self.saved = None
        if os.isatty(fd):
            import termios
            import tty
            self.saved = termios.tcgetattr(fd)
            tty.setraw(fd)

    def restore(self):
        """Put the terminal back as it was."""
        if self.saved is not None:
            import termios
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)
            self.saved = None


class Session:
    """One console run: input thread, output, escapes, ending."""

    def __init__(self, opts, password):
        self.done = threading.Event()
        self.error = None
        self.eof = False
        self.last_output = time.monotonic()
        self.filter = EscapeFilter()
        self.console = ipmiconsole.Console(
            opts.bmc, opts.user, password, self.output, port=opts.port,
            force=opts.force, kg=opts.kg, reconnect=opts.reconnect)

    def output(self, item):
        """Console iohandler: bytes to stdout, status to stderr."""
        if isinstance(item, dict):
            if 'error' in item:
                self.error = item['error']
                self.done.set()
            else:
                _note(item.get('info', ''))
            return
        self.last_output = time.monotonic()
        os.write(sys.stdout.fileno(), item)

    def read_input(self):
        """Input thread: typed bytes to the console, escapes acted on."""
        fd = sys.stdin.fileno()
        while not self.done.is_set():
            try:
                data = os.read(fd, 1024)
            except OSError:
                data = b''
            if not data:
                self.eof = True
                return
            data, actions = self.filter.feed(data)
            if data:
                self.console.send_data(data)
            for action in actions:
                if action == 'quit':
                    self.done.set()
                elif action == 'break':
                    self.console.send_break()
                else:
                    os.write(sys.stdout.fileno(), HELP)

    def finished(self):
        """True when the input ended and everything was said."""
        if self.done.is_set() or self.console.broken:
            return True
        stream: typing.Any = self.console._stream
        return self.eof and self.console.connected and stream.idle and \
            time.monotonic() - self.last_output > QUIET

    def run(self):
        """Serve until ``~.``, the end of the input, or an error."""
        threading.Thread(target=self.read_input, daemon=True).start()
        announced = False
        try:
            while not self.finished():
                ipmiconsole.Console.wait_for_rsp(0.1)
                if self.console.connected and not announced:
                    announced = True
                    _note('connected to %s; ~? for help'
                          % self.console.ipmi_session.bmc)
        finally:
            self.console.close()     # also on a signal: free the BMC
        return 1 if self.error or self.console.broken else 0


def _note(text):
    sys.stderr.write('\r\n[pyghmicons: %s]\r\n' % text)
    sys.stderr.flush()


def _password():
    password = os.environ.get('IPMIPASSWORD')
    if password is None and sys.stdin.isatty():
        password = getpass.getpass('Password: ')
    return password


def _on_signal(signum, frame):
    raise SystemExit(128 + signum)


def main(argv=None):
    """Entry point; returns the exit status."""
    opts = build_parser().parse_args(argv)
    password = _password()
    if password is None:
        sys.stderr.write('pyghmicons: set IPMIPASSWORD (standard input is '
                         'not a terminal to prompt on)\n')
        return 2
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)
    try:
        run = Session(opts, password)
    except Exception as err:  # noqa: BLE001 - one clear line, no trace
        sys.stderr.write('pyghmicons: %s\n' % err)
        return 2
    terminal = Terminal(sys.stdin.fileno())
    try:
        status = run.run()
    finally:
        terminal.restore()
    if run.error:
        sys.stderr.write('pyghmicons: %s\n' % run.error)
    return status


if __name__ == '__main__':
    sys.exit(main())
