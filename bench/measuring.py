"""What the per-client measuring scripts share; imports no IPMI library,
so it runs in any interpreter (this tree's, pyghmi 1.6.19's, python-ipmi's).
"""
import os
import socket
import statistics
import time


TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The peers' interpreters: pyghmi 1.6.19 (make test-deps) and python-ipmi
# (make bench-deps), each in a virtualenv of its own.
ORIGINAL = os.path.join(TOP, '.venv-pyghmi-1.6.19', 'bin', 'python')
PYTHON_IPMI = os.path.join(TOP, '.venv-python-ipmi', 'bin', 'python')


def add_peer_options(parser, compare=ORIGINAL, python_ipmi=PYTHON_IPMI):
    """``--compare`` and ``--python-ipmi``: the interpreters of the
    other clients, with these defaults (None: only when given)."""
    parser.add_argument('--compare', metavar='PYTHON', default=compare,
                        help='interpreter with another pyghmi (default: '
                        '%s)' % (compare or 'none'))
    parser.add_argument('--python-ipmi', metavar='PYTHON',
                        default=python_ipmi,
                        help='interpreter with python-ipmi (default: %s)'
                        % (python_ipmi or 'none'))


def installed(python):
    """The absolute path of interpreter ``python``, or None when it is
    not given or not there (its column is then left out)."""
    if python and os.path.exists(python):
        return os.path.abspath(python)
    return None


def count_datagrams(method):
    """Count calls of ``socket.socket.<method>`` (``sendto`` or ``send``)
    from now on; returns the one-item list holding the count."""
    sent = [0]
    original = getattr(socket.socket, method)

    def counting(self, *args):
        sent[0] += 1
        return original(self, *args)
    setattr(socket.socket, method, counting)
    return sent


def timed(func, count, sent):
    """Run ``func`` ``count`` times: (wall us, CPU us, datagrams) per call."""
    wall0, cpu0, sent0 = time.perf_counter(), time.process_time(), sent[0]
    for _ in range(count):
        func()
    wall = (time.perf_counter() - wall0) / count
    cpu = (time.process_time() - cpu0) / count
    return wall * 1e6, cpu * 1e6, (sent[0] - sent0) / count


def measure_calls(figures, name, func, ops, runs, sent):
    """Warm ``func`` up, then store the medians of ``runs`` runs of
    ``ops`` calls in ``figures`` as ``<name>_wall_us``, ``_cpu_us`` and
    ``_packets``."""
    func()
    samples = [timed(func, ops, sent) for _ in range(runs)]
    for index, key in enumerate(('wall_us', 'cpu_us', 'packets')):
        figures['%s_%s' % (name, key)] = statistics.median(
            s[index] for s in samples)
