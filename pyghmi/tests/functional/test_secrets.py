"""Secrets stay secret: passwords, Kg and session keys never reach logs,
exception texts or ``repr``, on either end; fakebmc takes them from the
environment or a file, and ``-v`` withholds secret-bearing data."""

import logging
import os

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import bmc as bmcmod
from pyghmi.ipmi import command
from pyghmi.tests.functional import peers

PASSWORD = 'Hunter2-Secret!'
KG = 'KgKgSecretKey77'


class PowerBmc(bmcmod.Bmc):
    def get_power_state(self):
        return 'on'


def _hexes(secret):
    raw = secret.encode() if isinstance(secret, str) else secret
    return (raw.hex(), raw.hex().upper(), secret if isinstance(secret, str)
            else raw.hex())


def test_nothing_secret_in_logs_errors_or_repr_at_debug(caplog):
    caplog.set_level(logging.DEBUG)
    bmc = PowerBmc({'admin': PASSWORD}, port=0, address='127.0.0.1',
                   kg=KG)
    bmc.start()
    texts = []
    try:
        cmd = command.Command('127.0.0.1', 'admin', PASSWORD, port=bmc.port,
                              kg=KG)
        assert cmd.get_power() == {'powerstate': 'on'}
        texts.append(str(cmd.raw_command(6, 0x47, data=b'\x02\x02' +
                                         PASSWORD.encode().ljust(16,
                                                                 b'\0'))))
        for wrong in ({'password': 'nope'}, {'kg': 'wrongkey'}):
            args = dict(bmc='127.0.0.1', userid='admin', password=PASSWORD,
                        port=bmc.port, kg=KG, timeout=0.3)
            args.update(wrong)
            with pytest.raises(exc.IpmiException) as info:
                command.Command(**args)
            texts.append(str(info.value))
            texts.append(repr(info.value))
        shared = cmd.ipmi_session._shared
        keys = shared.core._packets.keys
        server_keys = [s.packets.keys for s in bmc.core.sessions.values()
                       if s.packets is not None]
        texts += [repr(cmd), repr(cmd.ipmi_session), repr(shared),
                  repr(shared.core), repr(shared.core.params),
                  repr(keys), repr(bmc), repr(bmc.core), repr(bmc.config)]
        texts += [repr(s) for s in bmc.core.sessions.values()]
        secrets = [PASSWORD, PASSWORD.encode().hex(), KG, KG.encode().hex()]
        for k in [keys] + server_keys:
            secrets += [k._k1.hex(), k._k2.hex()]
        cmd.logout()
    finally:
        bmc.stop()
    texts += [record.getMessage() for record in caplog.records]
    assert len(caplog.records) > 0
    for text in texts:
        for secret in secrets:
            assert secret not in text, (secret, text)


def test_fakebmc_secrets_from_environment_and_file(tmp_path):
    kg_file = tmp_path / 'kg'
    kg_file.write_text(KG + '\n')
    with peers.FakeBmcProcess(['--kg-file', str(kg_file)],
                              env={'FAKEBMC_PASSWORD': PASSWORD}) as bmc:
        cmd = command.Command(bmc.host, 'admin', PASSWORD, port=bmc.port,
                              kg=KG)
        assert cmd.get_power()['powerstate'] in ('on', 'off')
        cmd.logout()
        with pytest.raises(exc.IpmiAuthenticationError):
            command.Command(bmc.host, 'admin', 'password', port=bmc.port,
                            kg=KG, timeout=0.3)


def test_fakebmc_verbose_log_withholds_secret_data(tmp_path):
    log_path = tmp_path / 'fakebmc.log'
    with open(log_path, 'w') as log, \
            peers.FakeBmcProcess(['-v'], stderr=log) as bmc:
        cmd = command.Command(bmc.host, 'admin', 'password', port=bmc.port)
        secret = b'NewSecretPw42'
        cmd.raw_command(6, 0x47, data=b'\x02\x02' + secret.ljust(16, b'\0'))
        cmd.raw_command(6, 0x01)
        cmd.logout()
    text = log_path.read_text()
    assert 'cmd 0x47 data (18 bytes withheld' in text
    assert 'cmd 0x01' in text                   # the log is on
    assert secret.hex() not in text and 'NewSecretPw42' not in text


def test_unknown_user_can_look_like_a_wrong_password():
    bmc = PowerBmc({'admin': PASSWORD}, port=0, address='127.0.0.1',
                   hide_unknown_users=True)
    bmc.start()
    try:
        with pytest.raises(exc.IpmiAuthenticationError) as info:
            command.Command('127.0.0.1', 'ghost', PASSWORD, port=bmc.port,
                            timeout=0.3)
        assert 'Incorrect password' in str(info.value)
        plain = PowerBmc({'admin': PASSWORD}, port=0, address='127.0.0.1')
        plain.start()
        try:
            with pytest.raises(exc.IpmiAuthenticationError) as info:
                command.Command('127.0.0.1', 'ghost', PASSWORD,
                                port=plain.port, timeout=0.3)
            assert 'Unauthorized name' in str(info.value)
        finally:
            plain.stop()
    finally:
        bmc.stop()


def test_state_file_is_private(tmp_path):
    state = tmp_path / 'state.json'
    with peers.FakeBmcProcess(['--state', str(state)]) as bmc:
        cmd = command.Command(bmc.host, 'admin', 'password', port=bmc.port)
        cmd.set_bootdev('network')
        cmd.logout()
    assert state.exists()
    assert os.stat(state).st_mode & 0o077 == 0
