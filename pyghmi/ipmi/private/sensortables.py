"""Sensor tables from the IPMI v2.0 specification, as plain data.

* ``SENSOR_TYPES``: sensor type code -> name (table 42-3), spelled as
  pyghmi reported them.
* ``UNITS``: sensor unit type code -> unit text (table 43-15).
* ``ENTITY_IDS``: entity ID code -> name (table 43-13), capitalised as
  pyghmi reported them ('Processor', 'Air inlet').
* ``GENERIC_STATES``: event/reading type code (02h-0Ch) -> offset ->
  ``(description, health)`` (table 42-2).
* ``SPECIFIC_STATES``: sensor type -> offset -> ``(description, health)``
  for sensor-specific sensors (reading type 6Fh, table 42-3).
* ``THRESHOLD_STATES``: bit of the threshold comparison byte of Get
  Sensor Reading -> ``(side, level, health, state id offset)``.
* ``DEASSERTED_GENERIC`` / ``DEASSERTED_SPECIFIC``: the severity of an
  event log entry that reports a state's deassertion, where it is not
  OK.

Health values are ``pyghmi.constants.Health``: OK 0, WARNING 1,
CRITICAL 2, FAILED 4.  The texts follow the specification's wording;
the health of each state is the level pyghmi 1.6.19 reports for it
(readings, ``get_health`` and event severities), recorded by running
it (``scripts/original_states.py``) and checked state by state by the
test suite, so that monitoring that alerts on these levels behaves the
same after the swap.  Where that level reads oddly beside the
specification (a chassis intrusion is critical, a watchdog's hard reset
is OK) it is still kept: doc/source/migration.rst lists those cases.
"""

OK, WARNING, CRITICAL, FAILED = 0, 1, 2, 4

SENSOR_TYPES = {
    0x01: 'Temperature', 0x02: 'Voltage', 0x03: 'Current', 0x04: 'Fan',
    0x05: 'Physical Security', 0x06: 'Platform Security',
    0x07: 'Processor', 0x08: 'Power Supply', 0x09: 'Power Unit',
    0x0A: 'Cooling Device', 0x0B: 'Other', 0x0C: 'Memory',
    0x0D: 'Drive Bay', 0x0E: 'POST Memory Resize',
    0x0F: 'System Firmware', 0x10: 'Event Log Disabled',
    0x11: 'Watchdog', 0x12: 'System Event', 0x13: 'Critical interrupt',
    0x14: 'Button/switch', 0x15: 'Module/Board',
    0x16: 'Microcontroller/Coprocessor', 0x17: 'Add-in Card',
    0x18: 'Chassis', 0x19: 'Chip Set', 0x1A: 'Other FRU',
    0x1B: 'Cable/Interconnect', 0x1C: 'Terminator', 0x1D: 'System Boot',
    0x1E: 'Boot Error', 0x1F: 'OS Boot', 0x20: 'OS Stop',
    0x21: 'Slot/Connector', 0x22: 'System ACPI Power State',
    0x23: 'Watchdog', 0x24: 'Platform alert', 0x25: 'Entity Presence',
    0x26: 'Monitor ASIC/IC', 0x27: 'LAN',
    0x28: 'Management Subsystem Health', 0x29: 'Battery', 0x2A: 'Session',
    0x2B: 'Version Change', 0x2C: 'FRU State',
}

# Table 43-13.  36h and 38h-3Fh are reserved; 40h-42h are the DCMI
# entities (DCMI 1.5 table 6-3), which the table lists by name.
ENTITY_IDS = dict(enumerate((
    'Unspecified', 'Other', 'Unknown', 'Processor', 'Disk or disk bay',
    'Peripheral bay', 'System management module', 'System board',
    'Memory module', 'Processor module', 'Power supply', 'Add-in card',
    'Front panel board', 'Back panel board', 'Power system board',
    'Drive backplane', 'System internal expansion board',
    'Other system board', 'Processor board', 'Power unit',
    'Power module', 'Power management', 'Chassis back panel board',
    'System chassis', 'Sub-chassis', 'Other chassis board',
    'Disk drive bay', 'Peripheral bay', 'Device bay', 'Fan',
    'Cooling unit', 'Cable/interconnect', 'Memory device',
    'System management software', 'System firmware', 'Operating system',
    'System bus', 'Group', 'Remote management communication device',
    'External environment', 'Battery', 'Processing blade',
    'Connectivity switch', 'Processor/memory module', 'I/O module',
    'Processor/IO module', 'Management controller firmware',
    'IPMI channel', 'PCI bus', 'PCI Express bus', 'SCSI bus (parallel)',
    'SATA/SAS bus', 'Processor/front-side bus', 'Real time clock')))
ENTITY_IDS.update({0x37: 'Air inlet', 0x40: 'Air inlet', 0x41: 'Processor',
                   0x42: 'Baseboard'})

UNITS = dict(enumerate((
    '', '°C', '°F', 'K', 'V', 'A', 'W', 'J', 'C', 'VA', 'nits', 'lm',
    'lx', 'cd', 'kPa', 'PSI', 'N', 'CFM', 'RPM', 'Hz', 'µs', 'ms', 's',
    'min', 'hr', 'd', 'wk', 'mil', 'in', 'ft', 'cu in', 'cu ft', 'mm',
    'cm', 'm', 'cu cm', 'cu m', 'L', 'fl oz', 'rad', 'sr', 'revolutions',
    'cycles', 'g', 'oz', 'lb', 'ft-lb', 'oz-in', 'gauss', 'gilberts',
    'H', 'mH', 'F', 'µF', 'Ω', 'S', 'mol', 'Bq', 'ppm', '', 'dB', 'dBA',
    'dBC', 'Gy', 'Sv', 'K', 'bit', 'kbit', 'Mbit', 'Gbit', 'B', 'kB',
    'MB', 'GB', 'word', 'dword', 'qword', 'line', 'hit', 'miss', 'retry',
    'reset', 'overrun', 'underrun', 'collision', 'packets', 'messages',
    'characters', 'error', 'correctable error', 'uncorrectable error',
    'fatal error', 'grams')))

# Rate units (sensor units 1, bits 5:3) and modifier joiners (bits 2:1).
RATE_UNITS = {0: '', 1: '/µs', 2: '/ms', 3: '/s', 4: '/min', 5: '/hr',
              6: '/d'}
MODIFIER_JOIN = {1: '/', 2: '*'}

GENERIC_STATES = {
    0x02: {
        0: ('Transition to Idle', OK),
        1: ('Transition to Active', OK),
        2: ('Transition to Busy', OK),
    },
    0x03: {
        0: ('State Deasserted', OK),
        1: ('State Asserted', OK),
    },
    0x04: {
        0: ('Predictive Failure deasserted', OK),
        1: ('Predictive Failure asserted', WARNING),
    },
    0x05: {
        0: ('Limit Not Exceeded', OK),
        1: ('Limit Exceeded', WARNING),
    },
    0x06: {
        0: ('Performance Met', OK),
        1: ('Performance Lags', WARNING),
    },
    0x07: {
        0: ('transition to OK', OK),
        1: ('transition to Non-Critical from OK', WARNING),
        2: ('transition to Critical from less severe', CRITICAL),
        3: ('transition to Non-recoverable from less severe', FAILED),
        4: ('transition to Non-Critical from more severe', WARNING),
        5: ('transition to Critical from Non-recoverable', CRITICAL),
        6: ('transition to Non-recoverable', FAILED),
        7: ('Monitor', OK),
        8: ('Informational', OK),
    },
    0x08: {
        0: ('Device Removed / Device Absent', OK),
        1: ('Device Inserted / Device Present', OK),
    },
    0x09: {
        0: ('Device Disabled', OK),
        1: ('Device Enabled', OK),
    },
    0x0A: {
        0: ('transition to Running', OK),
        1: ('transition to In Test', OK),
        2: ('transition to Power Off', OK),
        3: ('transition to On Line', OK),
        4: ('transition to Off Line', CRITICAL),
        5: ('transition to Off Duty', OK),
        6: ('transition to Degraded', CRITICAL),
        7: ('transition to Power Save', OK),
        8: ('Install Error', CRITICAL),
    },
    0x0B: {
        0: ('Fully Redundant', OK),
        1: ('Redundancy Lost', CRITICAL),
        2: ('Redundancy Degraded', WARNING),
        3: ('Non-redundant: Sufficient Resources from Redundant', WARNING),
        4: ('Non-redundant: Sufficient Resources from Insufficient '
            'Resources', WARNING),
        5: ('Non-redundant: Insufficient Resources', CRITICAL),
        6: ('Redundancy Degraded from Fully Redundant', WARNING),
        7: ('Redundancy Degraded from Non-redundant', WARNING),
    },
    0x0C: {
        0: ('D0 Power State', OK),
        1: ('D1 Power State', OK),
        2: ('D2 Power State', OK),
        3: ('D3 Power State', OK),
    },
}

SPECIFIC_STATES = {
    0x05: {
        0: ('General Chassis Intrusion', CRITICAL),
        1: ('Drive Bay intrusion', CRITICAL),
        2: ('I/O Card area intrusion', CRITICAL),
        3: ('Processor area intrusion', CRITICAL),
        4: ('LAN Leash Lost', CRITICAL),
        5: ('Unauthorized dock', CRITICAL),
        6: ('FAN area intrusion', CRITICAL),
    },
    0x06: {
        0: ('Secure Mode Violation attempt', CRITICAL),
        1: ('Pre-boot Password Violation - user password', CRITICAL),
        2: ('Pre-boot Password Violation attempt - setup password', CRITICAL),
        3: ('Pre-boot Password Violation - network boot password', CRITICAL),
        4: ('Other pre-boot Password Violation', CRITICAL),
        5: ('Out-of-band Access Password Violation', CRITICAL),
    },
    0x07: {
        0: ('IERR', FAILED),
        1: ('Thermal Trip', FAILED),
        2: ('FRB1/BIST failure', FAILED),
        3: ('FRB2/Hang in POST failure', FAILED),
        4: ('FRB3/Processor Startup/Initialization failure', FAILED),
        5: ('Configuration Error', FAILED),
        6: ('SM BIOS Uncorrectable CPU-complex Error', FAILED),
        7: ('Processor Presence detected', OK),
        8: ('Processor disabled', OK),
        9: ('Terminator Presence Detected', OK),
        10: ('Processor Automatically Throttled', WARNING),
        11: ('Machine Check Exception (Uncorrectable)', FAILED),
        12: ('Correctable Machine Check Error', WARNING),
    },
    0x08: {
        0: ('Presence detected', OK),
        1: ('Power Supply Failure detected', CRITICAL),
        2: ('Predictive Failure', CRITICAL),
        3: ('Power Supply input lost (AC/DC)', CRITICAL),
        4: ('Power Supply input lost or out-of-range', CRITICAL),
        5: ('Power Supply input out-of-range, but present', CRITICAL),
        6: ('Configuration error', WARNING),
        7: ('Power Supply Inactive (in standby state)', OK),
    },
    0x09: {
        0: ('Power Off / Power Down', OK),
        1: ('Power Cycle', OK),
        2: ('240VA Power Down', WARNING),
        3: ('Interlock Power Down', OK),
        4: ('AC lost / Power input lost', WARNING),
        5: ('Soft Power Control Failure', FAILED),
        6: ('Power Unit Failure detected', CRITICAL),
        7: ('Predictive Failure', WARNING),
    },
    0x0C: {
        0: ('Correctable ECC / other correctable memory error', WARNING),
        1: ('Uncorrectable ECC / other uncorrectable memory error', FAILED),
        2: ('Parity', WARNING),
        3: ('Memory Scrub Failed', CRITICAL),
        4: ('Memory Device Disabled', OK),
        5: ('Correctable ECC / other correctable memory error logging '
            'limit reached', WARNING),
        6: ('Presence detected', OK),
        7: ('Configuration error', CRITICAL),
        8: ('Spare', OK),
        9: ('Memory Automatically Throttled', WARNING),
        10: ('Critical Overtemperature', CRITICAL),
    },
    0x0D: {
        0: ('Drive Presence', OK),
        1: ('Drive Fault', CRITICAL),
        2: ('Predictive Failure', WARNING),
        3: ('Hot Spare', OK),
        4: ('Consistency Check / Parity Check in progress', OK),
        5: ('In Critical Array', CRITICAL),
        6: ('In Failed Array', FAILED),
        7: ('Rebuild/Remap in progress', OK),
        8: ('Rebuild/Remap Aborted', CRITICAL),
    },
    0x0F: {
        0: ('System Firmware Error (POST Error)', FAILED),
        1: ('System Firmware Hang', FAILED),
        2: ('System Firmware Progress', OK),
    },
    0x10: {
        0: ('Correctable Memory Error Logging Disabled', WARNING),
        1: ('Event Type Logging Disabled', WARNING),
        2: ('Log Area Reset/Cleared', OK),
        3: ('All Event Logging Disabled', WARNING),
        4: ('SEL Full', OK),
        5: ('SEL Almost Full', OK),
        6: ('Correctable Machine Check Error Logging Disabled', WARNING),
    },
    0x11: {
        0: ('BIOS Watchdog Reset', OK),
        1: ('OS Watchdog Reset', OK),
        2: ('OS Watchdog Shut Down', OK),
        3: ('OS Watchdog Power Down', OK),
        4: ('OS Watchdog Power Cycle', OK),
        5: ('OS Watchdog NMI / Diagnostic Interrupt', OK),
        6: ('OS Watchdog Expired, status only', OK),
        7: ('OS Watchdog pre-timeout Interrupt, non-NMI', OK),
    },
    0x12: {
        0: ('System Reconfigured', OK),
        1: ('OEM System Boot Event', OK),
        2: ('Undetermined system hardware failure', FAILED),
        3: ('Entry added to Auxiliary Log', OK),
        4: ('PEF Action', OK),
        5: ('Timestamp Clock Synch', OK),
    },
    0x13: {
        0: ('Front Panel NMI / Diagnostic Interrupt', CRITICAL),
        1: ('Bus Timeout', CRITICAL),
        2: ('I/O channel check NMI', CRITICAL),
        3: ('Software NMI', CRITICAL),
        4: ('PCI PERR', FAILED),
        5: ('PCI SERR', FAILED),
        6: ('EISA Fail Safe Timeout', FAILED),
        7: ('Bus Correctable Error', WARNING),
        8: ('Bus Uncorrectable Error', FAILED),
        9: ('Fatal NMI', FAILED),
        10: ('Bus Fatal Error', FAILED),
        11: ('Bus Degraded', WARNING),
    },
    0x14: {
        0: ('Power Button pressed', OK),
        1: ('Sleep Button pressed', OK),
        2: ('Reset Button pressed', OK),
        3: ('FRU latch open', OK),
        4: ('FRU service request button', WARNING),
    },
    0x19: {
        0: ('Soft Power Control Failure', CRITICAL),
        1: ('Thermal Trip', FAILED),
    },
    0x1B: {
        0: ('Cable/Interconnect is connected', OK),
        1: ('Configuration Error - Incorrect cable connected / '
            'Incorrect interconnection', CRITICAL),
    },
    0x1D: {
        0: ('Initiated by power up', OK),
        1: ('Initiated by hard reset', OK),
        2: ('Initiated by warm reset', OK),
        3: ('User requested PXE boot', OK),
        4: ('Automatic boot to diagnostic', WARNING),
        5: ('OS / run-time software initiated hard reset', OK),
        6: ('OS / run-time software initiated warm reset', OK),
        7: ('System Restart', OK),
    },
    0x1E: {
        0: ('No bootable media', OK),
        1: ('Non-bootable diskette left in drive', FAILED),
        2: ('PXE Server not found', FAILED),
        3: ('Invalid boot sector', FAILED),
        4: ('Timeout waiting for user selection of boot source', FAILED),
    },
    0x1F: {
        0: ('A: boot completed', OK),
        1: ('C: boot completed', OK),
        2: ('PXE boot completed', OK),
        3: ('Diagnostic boot completed', OK),
        4: ('CD-ROM boot completed', OK),
        5: ('ROM boot completed', OK),
        6: ('boot completed - boot device not specified', OK),
        7: ('Base OS/Hypervisor Installation started', OK),
        8: ('Base OS/Hypervisor Installation completed', OK),
        9: ('Base OS/Hypervisor Installation aborted', OK),
        10: ('Base OS/Hypervisor Installation failed', FAILED),
    },
    0x20: {
        0: ('Critical stop during OS load / initialization', FAILED),
        1: ('Run-time Critical Stop', FAILED),
        2: ('OS Graceful Stop', OK),
        3: ('OS Graceful Shutdown', OK),
        4: ('Soft Shutdown initiated by PEF', WARNING),
        5: ('Agent Not Responding', WARNING),
    },
    0x21: {
        0: ('Fault Status asserted', CRITICAL),
        1: ('Identify Status asserted', OK),
        2: ('Slot / Connector Device installed/attached', OK),
        3: ('Slot / Connector Ready for Device Installation', OK),
        4: ('Slot/Connector Ready for Device Removal', OK),
        5: ('Slot Power is Off', OK),
        6: ('Slot / Connector Device Removal Request', WARNING),
        7: ('Interlock asserted', OK),
        8: ('Slot is Disabled', WARNING),
        9: ('Slot holds spare device', OK),
    },
    0x22: {
        0: ('S0 / G0 "working"', OK),
        1: ('S1 "sleeping"', OK),
        2: ('S2 "sleeping"', OK),
        3: ('S3 "sleeping"', OK),
        4: ('S4 "non-volatile sleep"', OK),
        5: ('S5 / G2 "soft-off"', OK),
        6: ('S4 / S5 soft-off, particular state unknown', OK),
        7: ('G3 / Mechanical Off', OK),
        8: ('Sleeping in S1-S3', OK),
        9: ('G1 sleeping', OK),
        10: ('S5 entered by override', OK),
        11: ('Legacy ON state', OK),
        12: ('Legacy OFF state', OK),
        14: ('Unknown', OK),
    },
    0x23: {
        0: ('Timer expired, status only', CRITICAL),
        1: ('Hard Reset', OK),
        2: ('Power Down', OK),
        3: ('Power Cycle', OK),
        8: ('Timer interrupt', OK),
    },
    0x24: {
        0: ('platform generated page', OK),
        1: ('platform generated LAN alert', OK),
        2: ('Platform Event Trap generated', OK),
        3: ('platform generated SNMP trap', OK),
    },
    0x25: {
        0: ('Entity Present', OK),
        1: ('Entity Absent', OK),
        2: ('Entity Disabled', OK),
    },
    0x27: {
        0: ('LAN Heartbeat Lost', WARNING),
        1: ('LAN Heartbeat', OK),
    },
    0x28: {
        0: ('sensor access degraded or unavailable', WARNING),
        1: ('controller access degraded or unavailable', WARNING),
        2: ('management controller off-line', WARNING),
        3: ('management controller unavailable', WARNING),
        4: ('Sensor failure', WARNING),
        5: ('FRU failure', WARNING),
    },
    0x29: {
        0: ('battery low (predictive failure)', WARNING),
        1: ('battery failed', CRITICAL),
        2: ('battery presence detected', OK),
    },
    0x2A: {
        0: ('Session Activated', OK),
        1: ('Session Deactivated', OK),
        2: ('Invalid Username or Password', WARNING),
        3: ('Invalid password disable', CRITICAL),
    },
    0x2B: {
        0: ('Hardware change detected with associated Entity', OK),
        1: ('Firmware or software change detected with associated Entity', OK),
        2: ('Hardware incompatibility detected with associated '
            'Entity', CRITICAL),
        3: ('Firmware or software incompatibility detected with '
            'associated Entity', CRITICAL),
        4: ('Entity is of an invalid or unsupported hardware '
            'version', CRITICAL),
        5: ('Entity contains an invalid or unsupported firmware or '
            'software version', CRITICAL),
        6: ('Hardware Change detected with associated Entity was '
            'successful', OK),
        7: ('Software or F/W Change detected with associated Entity '
            'was successful', OK),
    },
    0x2C: {
        0: ('FRU Not Installed', OK),
        1: ('FRU Inactive', OK),
        2: ('FRU Activation Requested', OK),
        3: ('FRU Activation In Progress', OK),
        4: ('FRU Active', OK),
        5: ('FRU Deactivation Requested', OK),
        6: ('FRU Deactivation In Progress', OK),
        7: ('FRU Communication Lost', WARNING),
    },
}

# Get Sensor Reading byte 3 bits for threshold sensors (35.14):
# bit -> (side, level, health, state id offset used by pyghmi)
THRESHOLD_STATES = {
    0: ('lower', 'non-critical', WARNING, 1),
    1: ('lower', 'critical', CRITICAL, 2),
    2: ('lower', 'non-recoverable', FAILED, 3),
    3: ('upper', 'non-critical', WARNING, 4),
    4: ('upper', 'critical', CRITICAL, 5),
    5: ('upper', 'non-recoverable', FAILED, 6),
}

# Deasserted states whose event pyghmi 1.6.19 reports as not OK
# (leaving "fully redundant", "transition to OK" and the like); every
# other deassertion is OK.  Reading type (or sensor type, for 6Fh) ->
# offset -> severity.
DEASSERTED_GENERIC = {
    0x04: {0: WARNING}, 0x05: {0: WARNING}, 0x06: {0: WARNING},
    0x07: {0: WARNING}, 0x0B: {0: CRITICAL},
}
DEASSERTED_SPECIFIC = {0x27: {1: WARNING}}

# Threshold event offsets (event/reading type 01h, table 42-2).
THRESHOLD_EVENTS = {
    0x00: ('Lower Non-critical - going low', WARNING),
    0x01: ('Lower Non-critical - going high', WARNING),
    0x02: ('Lower Critical - going low', CRITICAL),
    0x03: ('Lower Critical - going high', CRITICAL),
    0x04: ('Lower Non-recoverable - going low', FAILED),
    0x05: ('Lower Non-recoverable - going high', FAILED),
    0x06: ('Upper Non-critical - going low', WARNING),
    0x07: ('Upper Non-critical - going high', WARNING),
    0x08: ('Upper Critical - going low', CRITICAL),
    0x09: ('Upper Critical - going high', CRITICAL),
    0x0A: ('Upper Non-recoverable - going low', FAILED),
    0x0B: ('Upper Non-recoverable - going high', FAILED),
}

# System Firmware Progress (sensor type 0Fh) event data 2, table 42-3.
FIRMWARE_ERRORS = {
    0x01: 'No system memory is physically installed',
    0x02: 'No usable system memory',
    0x03: 'Unrecoverable hard-disk/ATAPI/IDE device failure',
    0x04: 'Unrecoverable system-board failure',
    0x05: 'Unrecoverable diskette subsystem failure',
    0x06: 'Unrecoverable hard-disk controller failure',
    0x07: 'Unrecoverable PS/2 or USB keyboard failure',
    0x08: 'Removable boot media not found',
    0x09: 'Unrecoverable video controller failure',
    0x0A: 'No video device detected',
    0x0B: 'Firmware (BIOS) ROM corruption detected',
    0x0C: 'CPU voltage mismatch',
    0x0D: 'CPU speed matching failure',
}
FIRMWARE_PROGRESS = {
    0x01: 'Memory initialization', 0x02: 'Hard-disk initialization',
    0x03: 'Secondary processor(s) initialization',
    0x04: 'User authentication', 0x05: 'User-initiated system setup',
    0x06: 'USB resource configuration', 0x07: 'PCI resource configuration',
    0x08: 'Option ROM initialization', 0x09: 'Video initialization',
    0x0A: 'Cache initialization', 0x0B: 'SM Bus initialization',
    0x0C: 'Keyboard controller initialization',
    0x0D: 'Embedded controller/management controller initialization',
    0x0E: 'Docking station attachment', 0x0F: 'Enabling docking station',
    0x10: 'Docking station ejection', 0x11: 'Disabling docking station',
    0x12: 'Calling operating system wake-up vector',
    0x13: 'Starting operating system boot process',
    0x14: 'Baseboard or motherboard initialization',
    0x16: 'Floppy initialization', 0x17: 'Keyboard test',
    0x18: 'Pointing device test', 0x19: 'Primary processor initialization',
}

# Event data 2/3 meanings of table 42-3, by sensor type.
# 12h offset 03h (entry added to auxiliary log): data 2 bits 7:4.
AUX_LOG_ACTIONS = {
    0: 'entry added', 1: 'entry added (did not map to a standard event)',
    2: 'entry added with corresponding SEL entries', 3: 'log cleared',
    4: 'log disabled', 5: 'log enabled',
}
# 12h offset 03h: data 2 bits 3:0.
AUX_LOG_TYPES = {0: 'MCA log', 1: 'OEM 1 log', 2: 'OEM 2 log'}
# 2Ch (FRU state): data 2 bits 7:4, cause of the state change.
FRU_STATE_CAUSES = {
    0: 'Normal state change',
    1: 'Change commanded by software external to the FRU',
    2: 'State change due to operator changing a handle latch',
    3: 'State change due to operator pressing the hot swap push button',
    4: 'State change due to FRU programmatic action',
    5: 'Communication lost',
    6: 'Communication lost due to local failure',
    7: 'State change due to unexpected extraction',
    8: 'State change due to operator intervention or update',
    9: 'Unable to compute IPMB address',
    0x0A: 'Unexpected deactivation',
    0x0F: 'State change, cause unknown',
}
# 22h (system ACPI power state): the offsets, short names.
POWER_STATES = {
    0: 'S0/G0', 1: 'S1', 2: 'S2', 3: 'S3', 4: 'S4', 5: 'S5/G2',
    6: 'S4/S5', 7: 'G3', 8: 'S1/S2/S3', 9: 'G1', 0x0A: 'S5 (override)',
    0x0B: 'Legacy ON', 0x0C: 'Legacy OFF', 0x0E: 'Unknown',
}
# 08h (power supply) offset 06h (configuration error): data 3 bits 3:0.
PSU_CONFIG_ERRORS = {
    0: 'Vendor mismatch', 1: 'Revision mismatch', 2: 'Processor missing',
    3: 'Power supply rating mismatch', 4: 'Voltage rating mismatch',
}
# 1Dh (system boot / restart initiated) offset 07h: data 2 bits 3:0, the
# restart cause of Get System Restart Cause (table 28-11).
RESTART_CAUSES = {
    0: 'Unknown', 1: 'Chassis control command',
    2: 'Reset via push button', 3: 'Power-up via power push button',
    4: 'Watchdog expiration', 5: 'OEM',
    6: 'Automatic power-up on AC (always restore)',
    7: 'Automatic power-up on AC (restore previous state)',
    8: 'Reset via PEF', 9: 'Power-cycle via PEF', 0x0A: 'Soft reset',
    0x0B: 'Power-up via RTC wakeup',
}
# 21h (slot / connector): data 2 bits 6:0, slot type (data 3: number).
SLOT_TYPES = {
    0: 'PCI', 1: 'Drive Array', 2: 'External Peripheral Connector',
    3: 'Docking', 4: 'Other standard internal expansion slot',
    5: 'Slot of the entity of the sensor', 6: 'AdvancedTCA',
    7: 'DIMM/memory device', 8: 'Fan', 9: 'PCI Express',
    0x0A: 'SCSI (parallel)', 0x0B: 'SATA/SAS', 0x0C: 'USB',
}
# 2Bh (version change) offsets 01h/07h: data 2, what changed.
VERSION_CHANGES = {
    1: 'Management controller device ID',
    2: 'Management controller firmware revision',
    3: 'Management controller device revision',
    4: 'Management controller manufacturer ID',
    5: 'Management controller IPMI version',
    6: 'Management controller auxiliary firmware ID',
    7: 'Management controller firmware boot block',
    8: 'Other management controller firmware',
    9: 'System firmware (EFI / BIOS) change', 0x0A: 'SMBIOS change',
    0x0B: 'Operating system change', 0x0C: 'Operating system loader change',
    0x0D: 'Service or diagnostic partition change',
    0x0E: 'Management software agent change',
    0x0F: 'Management software application change',
    0x10: 'Management software middleware change',
    0x11: 'Programmable hardware change (e.g. FPGA)',
    0x12: 'Board/FRU module change', 0x13: 'Board/FRU component change',
    0x14: 'Board/FRU replaced with equivalent version',
    0x15: 'Board/FRU replaced with newer version',
    0x16: 'Board/FRU replaced with older version',
    0x17: 'Board/FRU hardware configuration change',
}
# 23h (watchdog 2): data 2 bits 3:0, the timer use at expiration
# (table 27-6), and bits 7:4, the interrupt type.
WATCHDOG_TIMER_USES = {1: 'BIOS FRB2', 2: 'BIOS/POST', 3: 'OS Load',
                       4: 'SMS/OS', 5: 'OEM'}
WATCHDOG_INTERRUPTS = {0: 'none', 1: 'SMI', 2: 'NMI',
                       3: 'messaging interrupt', 0x0F: 'unspecified'}
