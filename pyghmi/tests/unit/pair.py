"""An in-memory client/BMC pair with a fake clock (no sockets, no sleeps).

``Pair.run()`` moves datagrams between a ClientCore and a ServerCore and
advances the clock to the client's next deadline when nothing is in
flight; ``drop`` / ``duplicate`` hooks let tests lose or repeat packets,
and ``latency`` (seconds, or a callable returning them) holds each reply
of the BMC that long before the client sees it.
"""

from pyghmi.ipmi.private.client import core as clientcore
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.server import core as serversession

PEER = ('192.0.2.1', 623)      # never used on a network: only a label
CONSOLE = ('192.0.2.2', 40000)
GUID = bytes(range(16))


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Pair:
    def __init__(self, accounts=None, suites=serversession.SERVER_SUITES,
                 kg=None, app=None, server_options=None, **params):
        self.clock = Clock()
        self.to_client = []
        self.to_server = []
        self.held = []          # (due, datagram): replies on their way
        self.latency = 0.0
        self.handled = []
        accounts = accounts or {
            b'admin': serversession.Account('admin', 'password', 4),
            b'viewer': serversession.Account('viewer', 'vpass', 2)}
        config = serversession.ServerConfig(accounts, GUID, kg=kg,
                                            suites=suites,
                                            **(server_options or {}))
        self.server = serversession.ServerCore(config, app or self._app)
        self.server.on_output = self._server_output
        defaults = dict(userid=b'admin', password=b'password', timeout=1.0,
                        retries=2)
        defaults.update(params)
        self.client = clientcore.ClientCore(
            clientcore.LoginParams('pair', **defaults), 0x11223344)
        self.logins = []
        self.client.on_login = self.logins.append
        self.drop_to_client = lambda data: False
        self.drop_to_server = lambda data: False

    def _server_output(self):
        while self.server.outbox:
            data = self.server.outbox.popleft()[0]
            delay = self.latency() if callable(self.latency) \
                else self.latency
            if delay:
                self.held.append((self.clock.now + delay, data))
                self.held.sort(key=lambda item: item[0])
            else:
                self.to_client.append(data)

    def _app(self, request, session):
        self.handled.append((request['netfn'], request['command']))
        if (request['netfn'], request['command']) == (6, 1):
            session.send_ipmi_response(data=b'\x20\x01\x02\x41\x02')
        else:
            session.send_ipmi_response(code=0xC1)

    def run(self, limit=200):
        """Exchange datagrams until quiet; return the steps taken."""
        for step in range(limit):
            self.to_server.extend(self.client.outbox)
            self.client.outbox = []
            if self.to_server:
                data = self.to_server.pop(0)
                if not self.drop_to_server(data):
                    self.server.receive(data, CONSOLE, self.clock.now)
                continue
            while self.held and self.held[0][0] <= self.clock.now:
                self.to_client.append(self.held.pop(0)[1])
            if self.to_client:
                data = self.to_client.pop(0)
                if not self.drop_to_client(data):
                    self.client.receive(wire.parse_datagram(data),
                                        self.clock.now)
                continue
            if self.client.busy or self.client.state in (
                    clientcore.State.AUTHCAPS, clientcore.State.CIPHERS,
                    clientcore.State.OPENING, clientcore.State.RAKP1,
                    clientcore.State.RAKP3, clientcore.State.CHALLENGE,
                    clientcore.State.ACTIVATING):
                if self.client.deadline is None and not self.held:
                    return step
                due = min([self.client.deadline or float('inf')] +
                          [when for when, _ in self.held[:1]])
                self.clock.now = max(self.clock.now, due)
                self.client.tick(self.clock.now)
                continue
            return step
        raise AssertionError('pair did not settle')

    def login(self):
        self.client.login(self.clock.now)
        self.run()
        return self.logins[-1]

    def request(self, netfn, cmd, data=b'', **kwargs):
        done = []
        req = clientcore.Request(netfn, cmd, data, callback=done.append,
                                 **kwargs)
        self.client.submit(req, self.clock.now)
        self.run()
        assert done == [req]
        return req
