"""pyghmi.ipmi.private.util, kept for callers of pyghmi 1.6.19."""

import threading

import pytest

from pyghmi.ipmi.private import util

# SMBIOS 2.6+ (7.2.1): the first three fields are little-endian on the
# wire; dmidecode prints 33221100-5544-7766-8899-AABBCCDDEEFF for these.
WIRE = bytes(range(0, 0x100, 0x11))


def test_wireformat_uuid_as_dmidecode_prints_it():
    assert util.decode_wireformat_uuid(WIRE) == \
        '33221100-5544-7766-8899-AABBCCDDEEFF'
    assert util.decode_wireformat_uuid(list(WIRE), bigendian=True) == \
        '00112233-4455-6677-8899-AABBCCDDEEFF'
    with pytest.raises(ValueError):
        util.decode_wireformat_uuid(WIRE[:15])


def test_urlsplit_and_ipv4():
    assert util.urlsplit('smb://server/share/a.iso') == (
        'smb', 'server', '/share/a.iso')
    assert util.urlsplit('file:/x') == ('file', '', '/x')
    assert util.get_ipv4('127.0.0.1') == ['127.0.0.1']


def test_ipmi_error_text():
    assert util.get_ipmi_error({'code': 0, 'netfn': 7,
                                'command': 1}) is False
    assert util.get_ipmi_error({'code': 0xC1, 'netfn': 7,
                                'command': 1}) == 'Invalid command'
    # Command-specific meaning, keyed by the response netfn (7 = App + 1).
    assert util.get_ipmi_error({'code': 0x80, 'netfn': 7, 'command': 0x3B},
                               '!') == \
        'Requested level not available for this user!'
    assert util.get_ipmi_error({'code': 0x42, 'netfn': 7,
                                'command': 1}) == \
        'Unknown code 0x42 encountered'
    assert util.get_ipmi_error({'error': 'timeout'}, '.') == 'timeout.'


def test_protect_holds_the_lock():
    lock = threading.Lock()

    @util.protect(lock)
    def held():
        return lock.locked()

    assert held() is True and not lock.locked()
    with util.protect(lock):
        assert lock.locked()
    assert not lock.locked()


def test_completion_text_names_command_specific_codes():
    from pyghmi.ipmi.private import constants as const
    # a code of the command's own table (Set LAN Configuration, 23.1)
    assert const.completion_text(0x0C, 0x01, 0x82) == \
        'Attempt to write a read-only parameter'
    # the same code of a command without one is not given that meaning
    assert const.completion_text(0x0C, 0x04, 0x82) == \
        'Unknown completion code 0x82'
    # the response netfn (odd) finds the same table
    assert const.completion_text(0x07, 0x40, 0x83) == \
        'Access mode not supported'
    # generic codes are the same for every command
    assert const.completion_text(0x06, 0x40, 0xC1) == 'Invalid command'
    # a bridged request: Send Message's meaning, and the inner
    # command's when it has the same code
    assert const.completion_text(0x06, 0x01, 0x82, bridged=True) == \
        'Send Message (bridging the request): Bus error'
    assert const.completion_text(0x06, 0x40, 0x83, bridged=True) == (
        'Access mode not supported, or Send Message (bridging the '
        'request): NAK on write')
    assert const.completion_text(0x06, 0x01, 0xC1, bridged=True) == \
        'Invalid command'
