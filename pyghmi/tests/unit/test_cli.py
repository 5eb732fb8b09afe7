"""Command-line behaviour of pyghmiutil, pyghmicons and fakebmc (no
network)."""

import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def run(tool, *args, env=None):
    return subprocess.run([sys.executable, os.path.join(TOP, 'bin', tool)] +
                          list(args), capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL,
                          env=env or dict(os.environ))


def test_help_exits_zero():
    for tool in ('pyghmiutil', 'fakebmc', 'pyghmicons'):
        out = run(tool, '--help')
        assert out.returncode == 0 and 'usage' in out.stdout
    assert run('pyghmiutil', 'x', 'y', 'power', '--help').returncode == 0


def test_usage_errors_exit_two_without_traceback():
    out = run('pyghmiutil', 'onlyonearg')
    assert out.returncode == 2 and 'Traceback' not in out.stderr
    out = run('pyghmiutil', 'bmc', 'user', 'power', 'sideways')
    assert out.returncode == 2 and 'invalid choice' in out.stderr
    out = run('fakebmc', '--account', 'nocolons')
    assert out.returncode == 2 and 'NAME:PASSWORD:PRIVILEGE' in out.stderr


def test_missing_password_without_terminal():
    env = {k: v for k, v in os.environ.items() if k != 'IPMIPASSWORD'}
    out = run('pyghmiutil', '127.0.0.1', 'admin', 'power', env=env)
    assert out.returncode == 2 and 'IPMIPASSWORD' in out.stderr
    out = run('pyghmicons', '127.0.0.1', 'admin', env=env)
    assert out.returncode == 2 and 'IPMIPASSWORD' in out.stderr
    assert run('pyghmicons', '--port', 'x', 'h', 'u').returncode == 2


def test_fakebmc_refuses_a_remote_shell():
    out = run('fakebmc', '--port', '0', '--address', '0.0.0.0',
              '--sol-command', '/bin/sh')
    assert out.returncode == 2 and '--sol-allow-remote' in out.stderr
    assert 'Traceback' not in out.stderr


def test_fakebmc_bad_profile_is_a_clean_error(tmp_path):
    bad = tmp_path / 'bad.json'
    bad.write_text('{"schema": "something-else/9"}')
    out = run('fakebmc', '--port', '0', '--profile', str(bad))
    assert out.returncode == 1 and 'schema' in out.stderr
    assert 'Traceback' not in out.stderr
