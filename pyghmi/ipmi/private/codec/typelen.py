"""Type/length encoded strings, shared by SDR ID strings and FRU fields.

The type/length byte (IPMI v2.0 43.15, FRU spec 13) holds the encoding in
bits 7:6 and the byte count in bits 5:0 (SDRs use bits 4:0): 00 binary or
Unicode, 01 BCD plus, 10 6-bit packed ASCII, 11 8-bit ASCII + Latin-1.
"""

from pyghmi.exceptions import DecodeError

BINARY, BCD_PLUS, ASCII6, LATIN1 = 0, 1, 2, 3
_BCD_PLUS = '0123456789 -.:,_'


def decode_bcd_plus(data):
    """Two characters per byte, high nibble first."""
    return ''.join(_BCD_PLUS[b >> 4] + _BCD_PLUS[b & 0xF] for b in data)


def decode_ascii6(data):
    """Four 6-bit characters (offset 0x20) per three bytes, LSB first."""
    bits = int.from_bytes(bytes(data), 'little')
    count = len(data) * 8 // 6
    return ''.join(chr(0x20 + ((bits >> (6 * i)) & 0x3F))
                   for i in range(count))


def encode_ascii6(text):
    """Inverse of :func:`decode_ascii6` (text upper-cased, padded)."""
    text = text.upper()
    while len(text) % 4:
        text += ' '
    bits = 0
    for i, char in enumerate(text):
        code = ord(char) - 0x20
        if not 0 <= code < 64:
            raise ValueError('character %r not in 6-bit ASCII' % char)
        bits |= code << (6 * i)
    return bits.to_bytes(len(text) * 6 // 8, 'little')


def decode_string(kind, data):
    """Decode ``data`` of the given encoding to text (binary: hex)."""
    data = bytes(data)
    if kind == LATIN1:
        return data.decode('latin-1').rstrip('\x00')
    if kind == ASCII6:
        return decode_ascii6(data).rstrip()
    if kind == BCD_PLUS:
        return decode_bcd_plus(data).rstrip()
    return data.hex()


def read_field(data, offset, length_mask=0x3F):
    """Read a type/length field at ``offset``.

    :returns: ``(kind, raw bytes, next offset)``
    :raises DecodeError: the field runs past the data
    """
    if offset >= len(data):
        raise DecodeError('type/length byte missing')
    code = data[offset]
    kind, length = code >> 6, code & length_mask
    raw = bytes(data[offset + 1:offset + 1 + length])
    if len(raw) != length:
        raise DecodeError('type/length field runs past the data')
    return kind, raw, offset + 1 + length


def encode_field(text, kind=LATIN1, length_mask=0x3F):
    """Encode ``text`` as a type/length field (LATIN1 or ASCII6)."""
    raw = encode_ascii6(text) if kind == ASCII6 else text.encode('latin-1')
    if len(raw) > length_mask:
        raise ValueError('string too long for a type/length field')
    return bytes(((kind << 6) | len(raw),)) + raw
