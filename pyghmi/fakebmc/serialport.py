"""The fake machine's serial port, what a SOL console of fakebmc talks to.

Two kinds:

* :class:`EchoPort` (the default): a terminal in echo mode; what the
  console types comes back (carriage return as CR LF) and a break prints
  ``[break]``;
* :class:`ProgramPort` (``fakebmc --sol-command CMD``): a program run on
  a pseudo-terminal, started when a console first activates SOL and
  started again after it exits; a break sends the terminal's interrupt
  character (as a serial line with BRKINT set does).  Like a real
  machine's serial port it keeps running between consoles; what it
  prints while no console is attached is lost.

Both push output through ``write(bytes)`` (the Bmc's active console) and
take input through :meth:`input`.
"""

import logging
import os
import pty
import shlex
import threading

LOG = logging.getLogger(__name__)
INTERRUPT = b'\x03'


class EchoPort:
    """A terminal in echo mode.

    :param write: ``write(bytes)`` sends to the console
    """

    def __init__(self, write):
        self.write = write

    def input(self, data):
        """Characters typed on the console."""
        self.write(bytes(data).replace(b'\r', b'\r\n'))

    def brk(self):
        """A serial break from the console."""
        self.write(b'\r\n[break]\r\n')

    def close(self):
        """Nothing to stop."""


class ProgramPort:
    """A program on a pseudo-terminal.

    :param command: the command line (split like a shell would)
    :param write: ``write(bytes)`` sends to the console
    """

    def __init__(self, command, write):
        self.argv = shlex.split(command)
        self.write = write
        self.pid = None
        self.fd = None
        self._lock = threading.Lock()

    def start(self):
        """Start the program unless it runs (called at activation)."""
        with self._lock:
            if self.pid is not None:
                return
            pid, fd = pty.fork()
            if pid == 0:        # the child: become the program
                try:
                    os.execvp(self.argv[0], self.argv)
                finally:
                    os._exit(127)
            self.pid, self.fd = pid, fd
        threading.Thread(target=self._pump, args=(pid, fd), daemon=True,
                         name='fakebmc-serial').start()

    def input(self, data):
        """Characters typed on the console, to the program."""
        fd = self.fd
        if fd is None:
            return
        try:
            os.write(fd, bytes(data))
        except OSError as err:
            LOG.debug('serial program input failed: %s', err)

    def brk(self):
        """A serial break: the interrupt character."""
        self.input(INTERRUPT)

    def close(self):
        """Stop the program."""
        with self._lock:
            pid, self.pid = self.pid, None
        if pid is not None:
            try:
                os.kill(pid, 9)
            except OSError:
                pass

    def _pump(self, pid, fd):
        """Thread: the program's output to the console until it exits."""
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:     # EIO: the program's side is closed
                data = b''
            if not data:
                break
            self.write(data)
        os.close(fd)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        with self._lock:
            if self.pid == pid:
                self.pid = self.fd = None
