#!/usr/bin/env python3
"""The machine's floor for one IPMI request, so the other benchmarks'
figures can be read as a ratio to it.

    floor_bench.py [--count N]

Prints the median round trip of a UDP datagram echoed on loopback by a
Python thread (what any Python client and server pay per request here),
the CPU cost of sealing and opening one RMCP+ packet with suite 17
(HMAC-SHA256-128 and AES-CBC-128; done twice per request, request and
answer, on each side), and the client CPU the kernel charges for one
datagram exchange with another process: with the crypto, the floor of a
client's CPU per request (compare with session_bench.py; run both under
``taskset -c 0`` or ``--pin`` for figures that vary less).
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

from pyghmi.ipmi.private.codec import wire  # noqa: E402
from pyghmi.ipmi.private.secure import crypto  # noqa: E402
from pyghmi.ipmi.private.secure import packet  # noqa: E402
from pyghmi.ipmi.private.secure import randpool  # noqa: E402


def udp_echo_us(count):
    """Median loopback round trip (microseconds) through an echo thread
    that blocks in recvfrom, as a BMC's I/O thread does."""
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(('127.0.0.1', 0))
    stop = threading.Event()

    def echo():
        while not stop.is_set():
            data, peer = server.recvfrom(2048)
            server.sendto(data, peer)
    thread = threading.Thread(target=echo, daemon=True)
    thread.start()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.connect(server.getsockname())
    times = []
    for _ in range(count):
        start = time.perf_counter()
        client.send(b'x' * 48)
        client.recv(2048)
        times.append(time.perf_counter() - start)
    stop.set()
    client.send(b'end')
    thread.join(timeout=2)
    client.close()
    server.close()
    return statistics.median(times) * 1e6


ECHO_PROCESS = r'''
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 0))
print(s.getsockname()[1], flush=True)
while True:
    data, peer = s.recvfrom(2048)
    s.sendto(data, peer)
'''


def client_cpu_us(count):
    """Client CPU (microseconds) of one datagram exchange with an echo
    in another process, the way our client does it: send, then one
    blocking read.  What the kernel charges a client per request,
    whatever its code."""
    proc = subprocess.Popen([sys.executable, '-c', ECHO_PROCESS],
                            stdout=subprocess.PIPE)
    try:
        port = int(proc.stdout.readline())
        client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        client.settimeout(None)
        address = ('127.0.0.1', port)
        start = time.thread_time()
        for _ in range(count):
            client.sendto(b'x' * 48, address)
            client.recvfrom(2048)
        took = time.thread_time() - start
        client.close()
    finally:
        proc.kill()
        proc.wait()
    return took / count * 1e6


def crypto_us(count):
    """CPU microseconds to seal plus open one in-session request."""
    keys = crypto.SessionKeys(17, bytes(range(32)))
    # the IV source the client and our BMC use
    sender = packet.SessionPackets(keys, randpool.urandom)
    receiver = packet.SessionPackets(keys, randpool.urandom)
    message = wire.encode_request(0, 1, b'', seq=1)
    start = time.process_time()
    for _ in range(count):
        datagram = sender.seal(0x1234, message)
        receiver.open(wire.parse_datagram(datagram))
    return (time.process_time() - start) / count * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--count', type=int, default=5000)
    args = parser.parse_args()
    echo = udp_echo_us(args.count)
    seal = crypto_us(args.count)
    kernel = client_cpu_us(args.count)
    print('UDP echo through a Python thread, median: %8.1f us' % echo)
    print('seal + open one RMCP+ packet (suite 17):  %8.1f us CPU' % seal)
    print('floor of one request (echo + 2 x crypto): %8.1f us' %
          (echo + 2 * seal))
    print('client CPU of one exchange with an echo process (send, '
          'read): %.1f us' % kernel)
    print('client CPU floor of one request (that + seal + open): '
          '%.1f us' % (kernel + seal))
    return 0


if __name__ == '__main__':
    sys.exit(main())
