"""``python setup.py bdist_rpm`` builds a noarch RPM for CentOS/RHEL 9:
its requirements and file list read back with rpm, installed into a
throwaway root (``rpm --root ... --nodeps``), and every installed tool
answers ``--help`` from that root's files."""

import os
import re
import subprocess
import sys
import sysconfig

import pytest

from pyghmi.tests.functional import peers

TOOLS = ('pyghmiutil', 'fakebmc', 'pyghmicons', 'virshbmc')


def _run(argv, **kwargs):
    out = subprocess.run(argv, capture_output=True, text=True, timeout=600,
                         **kwargs)
    assert out.returncode == 0, (argv, out.stdout[-2000:],
                                 out.stderr[-2000:])
    return out.stdout


@pytest.fixture(scope='module')
def rpm_file(tmp_path_factory):
    """Build from a copy of the working tree (committed there, so pbr's
    file list has what is not committed yet here)."""
    tree = tmp_path_factory.mktemp('rpmbuild') / 'src'
    tree.mkdir()
    pack = subprocess.Popen(
        ['tar', '-C', peers.TOP, '--exclude=./.venv*', '--exclude=./build',
         '--exclude=./dist', '--exclude=*.egg-info', '-cf', '-', '.'],
        stdout=subprocess.PIPE)
    _run(['tar', '-C', str(tree), '-xf', '-'], stdin=pack.stdout)
    assert pack.wait() == 0
    git = ['git', '-C', str(tree), '-c', 'user.name=t', '-c',
           'user.email=t@localhost']
    _run(git + ['add', '-A'])
    _run(git + ['commit', '-q', '--allow-empty', '-m', 'rpm test'])
    # "python3" of the spec is the interpreter running the tests
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + ':' +
               os.environ['PATH'])
    _run([sys.executable, 'setup.py', '-q', 'bdist_rpm'], cwd=str(tree),
         env=env)
    rpms = [name for name in os.listdir(tree / 'dist')
            if name.endswith('.noarch.rpm')]
    assert len(rpms) == 1, os.listdir(tree / 'dist')
    return str(tree / 'dist' / rpms[0])


def test_requirements_and_arch(rpm_file):
    requires = _run(['rpm', '-qpR', rpm_file]).split('\n')
    assert 'python3-cryptography' in requires
    assert 'python3-urllib3' in requires          # the Redfish client
    # rpm's Python dependency generator ran, as on a CentOS build host
    # (it needs python3-packaging: without it rpmbuild silently skips
    # it, and nothing of the metadata would be checked here)
    generated = [r for r in requires if re.match(r'python3\.\d+dist\(', r)]
    assert [r for r in generated if 'dist(cryptography)' in r], requires
    assert [r for r in generated if 'dist(urllib3)' in r], requires
    # the asyncio extra's h11 is not required by the package itself
    assert not [r for r in generated if 'dist(h11)' in r], requires
    # pbr builds the package; nothing needs it at run time
    assert not [r for r in requires if 'libvirt' in r or 'pbr' in r]
    assert _run(['rpm', '-qp', '--qf', '%{ARCH} %{NAME} %{VERSION}',
                 rpm_file]) == 'noarch pyghmi 1.7.0'


def _sitelib():
    return sysconfig.get_path('purelib', 'posix_prefix',
                              vars={'base': '/usr'})


def test_file_list(rpm_file):
    files = set(_run(['rpm', '-qpl', rpm_file]).split())
    for tool in TOOLS:
        assert '/usr/bin/' + tool in files
    site = _sitelib()
    for part in ('ipmi/command.py', 'ipmi/private/session.py',
                 'ipmi/console.py', 'cmd/virshbmc.py',
                 'fakebmc/default_profile.json', 'py.typed'):
        assert '%s/pyghmi/%s' % (site, part) in files
    assert not [f for f in files if '/.venv' in f or f.startswith('/root')]


def test_installed_tools_run_from_the_root(rpm_file, tmp_path):
    root = str(tmp_path / 'root')
    _run(['rpm', '--root', root, '--initdb'])
    _run(['rpm', '--root', root, '--nodeps', '-i', rpm_file])
    site = root + _sitelib()
    env = dict(os.environ, PYTHONPATH=site)
    where = _run([sys.executable, '-c',
                  'import pyghmi.ipmi.command as c; print(c.__file__)'],
                 env=env, cwd=root)
    assert where.strip() == site + '/pyghmi/ipmi/command.py'
    for tool in TOOLS:
        script = os.path.join(root, 'usr', 'bin', tool)
        with open(script) as text:
            assert text.readline().strip() == '#!/usr/bin/python3'
        usage = _run([sys.executable, script, '--help'], env=env, cwd=root)
        assert usage.startswith('usage: ' + tool), usage
