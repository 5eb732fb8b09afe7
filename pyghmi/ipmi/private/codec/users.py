"""User commands of IPMI v2.0 section 22 (codecs for both ends, no I/O).

Set User Access (22.26), Get User Access (22.27), Set User Name (22.28),
Get User Name (22.29) and Set User Password (22.30).  User ids are 6-bit
(1-63; id 1 is the null user "anonymous"); names are 16 bytes, padded
with zeros; passwords 16 bytes, or 20 when the request says so (an IPMI
2.0 BMC takes either).
"""

from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec.layout import B, F, Layout, Raw, U

CMD_SET_USER_ACCESS = const.CMD_SET_USER_ACCESS
CMD_GET_USER_ACCESS = const.CMD_GET_USER_ACCESS
CMD_SET_USER_NAME = const.CMD_SET_USER_NAME
CMD_GET_USER_NAME = const.CMD_GET_USER_NAME
CMD_SET_USER_PASSWORD = const.CMD_SET_USER_PASSWORD
CMD_SET_USER_PAYLOAD_ACCESS = const.CMD_SET_USER_PAYLOAD_ACCESS
CMD_GET_USER_PAYLOAD_ACCESS = const.CMD_GET_USER_PAYLOAD_ACCESS
# User payload access (24.6/24.7): byte 1 bits 7:1 enable standard
# payload types 1-7 (bit 1: SOL); operation 0 enables, 1 disables.
PAYLOAD_SOL_BIT = 0x02
PAYLOAD_ENABLE, PAYLOAD_DISABLE = 0, 1

NAME_SIZE = 16
PASSWORD_SIZES = (16, 20)
NO_ACCESS = 0x0F
# pyghmi's privilege names (limit values of table 22-26).
PRIVILEGES = {'reserved': 0, 'callback': 1, 'user': 2, 'operator': 3,
              'administrator': 4, 'proprietary': 5, 'no_access': NO_ACCESS}
PRIVILEGE_NAMES = {v: k for k, v in PRIVILEGES.items()}
# Set User Password operations (table 22-32, byte 2 bits 1:0).
PASSWORD_MODES = {'disable': 0, 'enable': 1, 'set_password': 2,
                  'test_password': 3}
# Its completion codes.
CC_WRONG_PASSWORD = 0x80
CC_WRONG_PASSWORD_SIZE = 0x81

SET_USER_ACCESS = Layout('Set User Access request (22.26)', [
    B('channel', 0, 0, 4), F('ipmi_msg', 0, 4), F('link_auth', 0, 5),
    F('callback', 0, 6), F('change', 0, 7, default=True),
    B('uid', 1, 0, 6), B('privilege', 2, 0, 4),
    B('session_limit', 3, 0, 4, optional=True),
], min_length=3)
GET_USER_ACCESS_REQUEST = Layout('Get User Access request (22.27)', [
    B('channel', 0, 0, 4), B('uid', 1, 0, 6)])
GET_USER_ACCESS = Layout('Get User Access response (22.27)', [
    B('max_users', 0, 0, 6), B('enabled_users', 1, 0, 6),
    B('enable_status', 1, 6, 2), B('fixed_names', 2, 0, 6),
    B('privilege', 3, 0, 4), F('ipmi_msg', 3, 4), F('link_auth', 3, 5),
    F('callback', 3, 6),
])
SET_USER_NAME = Layout('Set User Name request (22.28)', [
    B('uid', 0, 0, 6), Raw('name', 1, NAME_SIZE)])
GET_USER_NAME_REQUEST = Layout('Get User Name request (22.29)', [
    B('uid', 0, 0, 6)])
SET_USER_PASSWORD = Layout('Set User Password request (22.30)', [
    B('uid', 0, 0, 6), F('twenty', 0, 7), B('operation', 1, 0, 2),
    Raw('password', 2, optional=True),
], min_length=2)
# Get User Access byte 3 bits 7:6: how the user was enabled.
ENABLED_VIA_PASSWORD, DISABLED_VIA_PASSWORD = 1, 2


def pad_name(name):
    """A user name as the 16 bytes of Set User Name.

    :raises ValueError: longer than 16 bytes
    """
    data = name.encode('utf-8') if isinstance(name, str) else bytes(name)
    if len(data) > NAME_SIZE:
        raise ValueError('user names have at most 16 bytes')
    return data.ljust(NAME_SIZE, b'\x00')


def unpad_name(data):
    """Text of a 16-byte user name; None when empty."""
    text = bytes(data).split(b'\x00')[0].decode('utf-8', 'replace')
    return text or None


def password_field(password):
    """``(20-byte flag, padded password)`` for Set User Password.

    :raises ValueError: longer than 20 bytes (never truncated)
    """
    data = password.encode('utf-8') if isinstance(password, str) \
        else bytes(password)
    if len(data) > 20:
        raise ValueError('passwords have at most 20 bytes')
    if len(data) > 16:
        return True, data.ljust(20, b'\x00')
    return False, data.ljust(16, b'\x00')


SET_PAYLOAD_ACCESS = Layout('Set User Payload Access request (24.6)', [
    B('channel', 0, 0, 4), B('uid', 1, 0, 6), B('operation', 1, 6, 2),
    U('standard', 2), U('reserved1', 3), U('oem', 4), U('reserved2', 5)],
    min_length=6)
GET_PAYLOAD_ACCESS_REQUEST = Layout(
    'Get User Payload Access request (24.7)', [
        B('channel', 0, 0, 4), B('uid', 1, 0, 6)], min_length=2)
GET_PAYLOAD_ACCESS = Layout('Get User Payload Access response (24.7)', [
    U('standard', 0), U('reserved1', 1), U('oem', 2), U('reserved2', 3)],
    min_length=4)
