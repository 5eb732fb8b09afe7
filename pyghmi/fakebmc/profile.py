"""The fakebmc machine profile: one documented, versioned JSON schema.

Schema ``pyghmi-fakebmc/1`` (every key optional except ``schema``):

``identity``
    ``device_id``, ``device_revision``, ``firmware_major``,
    ``firmware_minor`` (the BCD byte, e.g. 65 = 0x41 -> "2.41"),
    ``ipmi_version`` (2), ``additional_devices`` (bit mask, table 20-2),
    ``manufacturer_id`` (IANA, 20 bits), ``product_id``, ``aux_firmware``
    (hex, 4 bytes).
``guid``
    system GUID (UUID text).
``power``
    initial power state, ``"on"`` or ``"off"``.
``soft_off_seconds``
    how long a soft shutdown takes before the power reads off.
``boot``
    ``device`` (a pyghmi boot device name), ``persistent``, ``uefi``.
``session_limit``
    sessions the BMC accepts at once.
``cipher_suites``
    RMCP+ cipher suites offered (subset of 1, 2, 3, 15, 16, 17).
``oem_commands``
    vendor commands to answer: a list of ``{"netfn": 0x2E, "command": 1,
    "request": hex prefix the request data must start with (optional),
    "response": hex data, "code": completion code (0), "silent": true to
    answer nothing}``; the first match answers.
``lan``
    LAN settings served as LAN configuration parameters: ``ip`` (with
    prefix, default 192.0.2.10/24, a documentation address), ``gateway``,
    ``mac``, ``gateway_mac``, ``source`` ('static', 'dhcp'...), ``vlan``
    (id or null); changes made over IPMI are kept in ``--state``.
``sol``
    Serial over LAN: ``enabled`` (true: the fake serial port echoes what
    a console types, CR as CR LF), ``port`` (the UDP port Activate
    Payload reports; the listening port by default, 623 to look like a
    BMC behind port forwarding).
``bios``
    BIOS setup served over Redfish: ``attributes``, a list of ``{"name",
    "type" (Enumeration, Boolean, Integer, String), "value", "values"
    (Enumeration), "min"/"max" (Integer), "max_length" (String),
    "display_name", "read_only"}``; settings made go to the next boot.
``processors``
    served over Redfish as the system's Processors: a list of
    ``{"socket", "manufacturer", "model", "cores", "threads", "max_mhz",
    "instruction_set" (x86-64, ARM-A64...)}`` (every key but ``socket``
    optional).
``ipmi_versions``
    session kinds offered: ``["2.0"]`` (the default, RMCP+), ``["1.5"]``
    (an old BMC: IPMI 1.5 sessions with MD5 or straight password
    authentication only) or both.

Later schema additions (sensors, event log, FRU) are new optional keys.
"""

import json
import os
import uuid

from pyghmi import exceptions as exc
from pyghmi.fakebmc import bios as fakebios
from pyghmi.ipmi.private.codec import chassis
from pyghmi.ipmi.private.server import core as serversession

SCHEMA = 'pyghmi-fakebmc/1'
DEFAULT_PROFILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               'default_profile.json')


def _check(condition, text):
    if not condition:
        raise exc.InvalidParameterValue('fakebmc profile: ' + text)


def validate(profile):
    """Check a loaded profile; raise InvalidParameterValue if it is wrong.

    :returns: the profile, for chaining
    """
    _check(isinstance(profile, dict), 'not a JSON object')
    _check(profile.get('schema') == SCHEMA,
           'schema must be %r' % SCHEMA)
    ident = profile.get('identity', {})
    _check(isinstance(ident, dict), 'identity must be an object')
    for key in ('device_id', 'device_revision', 'firmware_major',
                'firmware_minor', 'additional_devices', 'ipmi_version'):
        _check(0 <= int(ident.get(key, 0)) <= 255, key + ' out of range')
    _check(0 <= int(ident.get('manufacturer_id', 0)) < 1 << 20,
           'manufacturer_id must fit 20 bits')
    _check(0 <= int(ident.get('product_id', 0)) < 1 << 16,
           'product_id must fit 16 bits')
    bytes.fromhex(ident.get('aux_firmware', ''))
    uuid.UUID(profile.get('guid', str(uuid.uuid4())))
    _check(profile.get('power', 'on') in ('on', 'off'),
           'power must be "on" or "off"')
    boot = profile.get('boot', {})
    _check(boot.get('device', 'default') in chassis.BOOT_DEVICE_SELECTORS,
           'unknown boot device')
    for spec in profile.get('oem_commands', ()):
        _check(isinstance(spec, dict) and 'netfn' in spec and
               'command' in spec, 'oem_commands entries need netfn and '
               'command')
        bytes.fromhex(spec.get('request', '') + spec.get('response', ''))
    sol = profile.get('sol', {})
    _check(isinstance(sol, dict), 'sol must be an object')
    _check(0 < int(sol.get('port', 623)) < 65536,
           'sol port must be 1-65535')
    if 'bios' in profile:
        fakebios.validate(profile['bios'])
    processors = profile.get('processors', [])
    _check(isinstance(processors, list) and all(
        isinstance(p, dict) and isinstance(p.get('socket'), str)
        for p in processors), 'processors must be objects with a socket')
    versions = profile.get('ipmi_versions', ['2.0'])
    _check(isinstance(versions, list) and versions and
           set(versions) <= {'1.5', '2.0'},
           'ipmi_versions must be a non-empty list of "1.5" and "2.0"')
    suites = profile.get('cipher_suites', serversession.SERVER_SUITES)
    _check(set(suites) <= set(serversession.SERVER_SUITES) and suites,
           'cipher_suites must be a non-empty subset of %s'
           % (serversession.SERVER_SUITES,))
    return profile


def load(path=None):
    """Load and validate a profile (the shipped default when None).

    :raises InvalidParameterValue: unreadable or invalid profile
    """
    path = path or DEFAULT_PROFILE
    try:
        with open(path) as f:
            profile = json.load(f)
    except (OSError, ValueError) as err:
        raise exc.InvalidParameterValue(
            'cannot read profile %s: %s' % (path, err)) from None
    try:
        return validate(profile)
    except (TypeError, ValueError) as err:
        raise exc.InvalidParameterValue(
            'fakebmc profile: %s' % err) from None
