"""Lenovo's additions to event decoding (tables and rules, no I/O).

As pyghmi 1.6.19 decodes them on Lenovo BMCs:

* OEM timestamped SEL records by type: D0h firmware update (data 0
  firmware type, data 1 bits 7:3 slot and 2:0 outcome, data 2-3 version),
  D1h BIOS recovery (data 0 bits 7:4 method, 3:0 status; data 1 = 1: no
  recovery image), D2h eMMC status, D3h user privilege change (data 1
  channel, 2 user, 3 old/new privilege in bits 3:0 / 7:4); other types
  are shown as their bytes.  ``oemdata`` is replaced by these fields.
* System events of event type 75h are Intel ME firmware events (event
  data 2 the state, data 3 details).
* Drive slot events (sensor type 0Dh) with OEM event data 2 name the bay.
"""

from pyghmi import constants as pygconst
from pyghmi.ipmi.private import sensortables as tables

OK, WARNING, CRITICAL, FAILED = (pygconst.Health.Ok, pygconst.Health.Warning,
                                 pygconst.Health.Critical,
                                 pygconst.Health.Failed)

FIRMWARE_TYPES = {1: 'Management Controller', 2: 'UEFI/BIOS', 3: 'CPLD',
                  4: 'Power Supply', 5: 'Storage Adapter',
                  6: 'Add-in Adapter'}
FIRMWARE_OUTCOMES = {0: ('Update failed', FAILED),
                     1: ('Update succeeded', OK),
                     2: ('Update aborted', OK), 3: ('Unknown', WARNING)}
ME_STATES = {
    0: ('Recovery GPIO forced', WARNING),
    1: ('ME Image corrupt', CRITICAL), 2: ('Flash erase error', CRITICAL),
    3: ('Unspecified flash state', WARNING),
    4: ('ME watchdog timeout', CRITICAL),
    5: ('ME platform reboot', CRITICAL), 6: ('ME update', OK),
    7: ('Manufacturing error', CRITICAL),
    8: ('ME Flash storage integrity error', CRITICAL),
    9: ('ME firmware exception', CRITICAL),
    0xA: ('ME firmware worn', WARNING),
    0xC: ('Invalid SCMP state', WARNING),
    0xD: ('PECI over DMI failure', WARNING),
    0xE: ('MCTP interface failure', WARNING),
    0xF: ('Auto configuration completed', OK),
}
ME_FLASH_STATES = {0: ('ME flash corrupted', CRITICAL),
                   1: ('ME flash erase limit reached', CRITICAL),
                   2: ('ME flash write limit reached', CRITICAL),
                   3: ('ME flash write enabled', OK)}
ME_EVENT_TYPE = 0x75
DRIVE_SLOT = 0x0D
_VERSION_CHANGE, _FIRMWARE, _MEMORY, _PLATFORM_SECURITY = 0x2B, 0x0F, 0x0C, 6


def _firmware_update(event, data):
    name = FIRMWARE_TYPES.get(data[0])
    slot = data[1] >> 3
    event['component'] = '%s %d' % (name, slot) if slot and name else name
    event['component_type'] = tables.SENSOR_TYPES[_VERSION_CHANGE]
    event['event'], event['severity'] = FIRMWARE_OUTCOMES[data[1] & 7]
    event['event_data'] = '%d.%d' % (data[2], data[3])


def _bios_recovery(event, data):
    method, status = data[0] >> 4, data[0] & 0x0F
    event['component'] = 'BIOS/UEFI'
    event['component_type'] = tables.SENSOR_TYPES[_FIRMWARE]
    event['event'] = {1: 'Automatic recovery',
                      2: 'Manual recovery'}.get(method, '')
    event['severity'] = WARNING
    if status == 0:
        event['event'] += '- Failed'
        event['severity'] = FAILED
    if data[1] == 1:
        event['event'] += '- BIOS recovery image not found'
    event['event_data'] = '%d.%d' % (data[2], data[3])


def _emmc(event, data):
    if data[0] == 1:
        event['component'] = 'eMMC'
        event['component_type'] = tables.SENSOR_TYPES[_MEMORY]
        event['event'] = 'eMMC Format error'
        event['severity'] = FAILED


def _privilege(event, data):
    if data[0] == 1:
        event['event'] = 'User privilege modification'
        event['severity'] = OK
        event['component'] = 'User Privilege'
        event['component_type'] = tables.SENSOR_TYPES[_PLATFORM_SECURITY]
        event['event_data'] = ('User %d on channel %d had privilege '
                               'changed from %d to %d' % (
                                   data[2], data[1], data[3] & 0x0F,
                                   data[3] >> 4))


OEM_RECORDS = {0xD0: _firmware_update, 0xD1: _bios_recovery, 0xD2: _emmc,
               0xD3: _privilege}


def refine(event, record):
    """Apply Lenovo's rules to one event, in place.

    :param record: the 16-byte SEL record the event came from
    """
    # Lenovo's handler replaced the generic refinement entirely
    for key in ('oem_handler', 'oem_byte2', 'oem_byte3'):
        event.pop(key, None)
    if 'oemdata' in event:
        data = bytes(event.pop('oemdata'))
        rule = OEM_RECORDS.get(record[2])
        if rule is not None:
            rule(event, data)
        else:
            event['event'] = 'OEM event: %s' % ' '.join(
                '%02x' % b for b in data)
        return
    if len(record) < 16 or record[2] != 0x02:
        return
    event_type, data = record[12] & 0x7F, record[13:16]
    if event_type == ME_EVENT_TYPE:
        _me_event(event, data)
    if record[12] == 0x6F and data[0] >> 6 == 2 and \
            event.get('component_type_id') == DRIVE_SLOT:
        event['component'] = '%s %d' % (event.get('component'),
                                        data[1] & 0x1F)


def _me_event(event, data):
    event['component'] = 'ME Firmware'
    event['component_type'] = tables.SENSOR_TYPES[_FIRMWARE]
    event['event'], event['severity'] = ME_STATES.get(
        data[1], ('Unknown', WARNING))
    if data[1] == 3:
        event['event'], event['severity'] = ME_FLASH_STATES.get(
            data[2], ('Unknown state', WARNING))
    elif data[1] == 9:
        event['event'] += ' (0x%2x)' % data[2]
    elif data[1] == 0xF and data[2] & 0x80:
        event['event'] = 'Auto configuration failed'
        event['severity'] = CRITICAL
