#!/usr/bin/env python3
"""Record what pyghmi 1.6.19 reports for every discrete sensor state.

Run with the interpreter of the original's own virtualenv (never ours)::

    .venv-pyghmi-1.6.19/bin/python scripts/original_states.py

For each event/reading type (01h-0Ch generic, 6Fh sensor-specific with
every sensor type 00h-FFh) and each state offset 0-14, it builds a
compact sensor record, hands the original's ``SDREntry`` a Get Sensor
Reading answer with only that state asserted, and records the health
and state text the original's own reading decoder gives.  Threshold
sensors (reading type 01h) get one answer per comparison bit, from a
full record (``threshold``) and from a compact one
(``compact_threshold``).  Then each event/reading type and offset 0-15
goes through the original's event log decoder, asserted and deasserted,
for the ``severity`` of its events.  Prints JSON::

    {"generic": {"<reading type>": {"<offset>": [text, health]}},
     "specific": {"<sensor type>": {"<offset>": [text, health]}},
     "threshold": {"<bit>": [text, health]},
     "compact_threshold": {"<bit>": [text, health]},
     "events": {"<reading type>.<sensor type>.<offset>.<deasserted>":
                severity}}

States the original does not know (its "Unknown state" text) are left
out: it reports them as health 0, as this package does; events whose
severity is 0 are left out too.
"""

import json

from pyghmi.ipmi import events
from pyghmi.ipmi import sdr
from pyghmi.ipmi.private import constants

# A compact sensor record (43.2): header, then owner 20h, LUN 0, number
# 1, entity 7.1, initialisation, capabilities, sensor type (byte 12),
# reading type (byte 13), masks, units, sharing, hysteresis, an ID
# string "S".
_COMPACT = bytearray.fromhex(
    '0100510200' '2000010701' '7f40' '0000' 'ffffffffffff'
    '000000' '0000' '0000' '000000' '00' 'c153')


def _record(sensor_type, reading_type):
    raw = bytearray(_COMPACT)
    raw[12], raw[13] = sensor_type, reading_type
    raw[4] = len(raw) - 5
    return sdr.SDREntry(raw, constants)


def _states(entry, low, high):
    # scanning enabled (bit 6), reading available (bit 5 clear)
    reading = entry.decode_sensor_reading(None, bytearray(
        (0, 0x40, low, high)))
    return reading.states, reading.health


def _known(text):
    return not text.startswith('Unknown state')


def _offsets(sensor_type, reading_type):
    found = {}
    entry = _record(sensor_type, reading_type)
    for offset in range(15):
        bits = 1 << offset
        states, health = _states(entry, bits & 0xFF, bits >> 8)
        if states and _known(states[0]):
            found[str(offset)] = [states[0], int(health)]
    return found


# A full threshold temperature record (IPMI table 43-1's worked example).
_FULL = bytearray.fromhex(
    '010051012e200005070' '17f6801010000000018188001000002' '00ecc000f0'
    '00000000ff0000504600000000000000' '00c3435055')


class _Sdr:
    sensors = {}
    fru = {}


class _Command:
    def get_event_constants(self):
        return constants


def _event_severities():
    handler = events.EventHandler(_Sdr(), _Command())
    found = {}
    types = [(t, 0x01) for t in range(1, 0x0D)] + [
        (0x6F, s) for s in range(0x100)]
    for reading_type, sensor_type in types:
        for offset in range(16):
            for deasserted in (False, True):
                event = {}
                handler._populate_event(
                    deasserted, event, [offset, 0xFF, 0xFF], reading_type,
                    sensor_type, 0)
                if event.get('severity'):
                    found['%d.%d.%d.%d' % (
                        reading_type, sensor_type, offset,
                        deasserted)] = int(event['severity'])
    return found


def _threshold(raw):
    entry = sdr.SDREntry(raw, constants)
    found = {}
    for bit in range(6):
        states, health = _states(entry, 1 << bit, 0)
        found[str(bit)] = [states[0], int(health)]
    return found


def main():
    generic = {}
    for reading_type in range(2, 0x0D):
        found = _offsets(0x01, reading_type)
        if found:
            generic['%d' % reading_type] = found
    specific = {}
    for sensor_type in range(0x100):
        found = _offsets(sensor_type, 0x6F)
        if found:
            specific['%d' % sensor_type] = found
    compact = bytearray(_COMPACT)
    compact[12] = compact[13] = 0x01
    print(json.dumps({'generic': generic, 'specific': specific,
                      'threshold': _threshold(_FULL),
                      'compact_threshold': _threshold(compact),
                      'events': _event_severities()},
                     sort_keys=True))


if __name__ == '__main__':
    main()
