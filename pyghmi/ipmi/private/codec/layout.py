"""Message layouts declared once, decoded and encoded from the declaration.

Rules of this module:

* a :class:`Layout` lists the fields of one message or record the way the
  specification's tables do: a name, the byte offset, and for packed
  fields the bit position and width; a field split over several bytes
  (the 10-bit M of a sensor record) lists its pieces, least significant
  first;
* :meth:`Layout.decode` and :meth:`Layout.encode` are both driven by that
  one list, so the client, the BMC side and fakebmc cannot disagree about
  where a field lives;
* decoding takes untrusted bytes: a message shorter than the layout's
  ``min_length`` raises :class:`pyghmi.exceptions.DecodeError`; optional
  fields past the end of a shorter message decode as their default;
* encoding fills fields that are not given with the declared default, and
  rejects values that do not fit (a bug in the caller, not wire data);
* no two fields share a bit, unless the layout names the pair in
  ``overlaps`` (two views of the same bits, as the specification gives
  some fields both as a whole and in parts): a typo in an offset fails
  at import, not on the wire.

A field is one of:

``U(name, offset, size=1)``
    little-endian unsigned integer of ``size`` whole bytes;
``B(name, offset, shift, width)``
    ``width`` bits of the byte at ``offset`` starting at bit ``shift``;
``F(name, offset, bit)``
    one bit, decoded as ``bool``;
``S(name, (offset, shift, width), ...)``
    an integer split over several pieces, least significant first;
    ``signed=True`` reads it as two's complement of the total width;
``Raw(name, offset, size)``
    ``size`` bytes kept as ``bytes``; ``size=None`` takes the rest.
"""

from pyghmi.exceptions import DecodeError


class Field:
    """One field: pieces ``(offset, shift, width)``, least significant
    first, plus how the value is presented."""

    __slots__ = ('name', 'pieces', 'signed', 'kind', 'default', 'optional',
                 'width', 'end', '_bits', '_span')

    def __init__(self, name, pieces, signed=False, kind=int, default=0,
                 optional=False):
        self.name = name
        self.pieces = tuple(pieces)
        self.signed = signed
        self.kind = kind
        self.default = default
        self.optional = optional
        self.width = sum(width for _, _, width in self.pieces)
        self.end = max(off + (shift + width + 7) // 8
                       for off, shift, width in self.pieces)
        # The two shapes nearly every field has, read without the loop
        # over pieces (records are decoded by the thousand in sweeps):
        # bits within one byte, or whole bytes in a row (U fields).
        self._bits = self._span = None
        first = self.pieces[0]
        if len(self.pieces) == 1 and first[1] + first[2] <= 8:
            self._bits = (first[0], first[1], (1 << first[2]) - 1)
        elif all(shift == 0 and width == 8 and off == first[0] + index
                 for index, (off, shift, width) in enumerate(self.pieces)):
            self._span = (first[0], first[0] + len(self.pieces))

    def __repr__(self):
        return 'Field(%r)' % self.name

    def bits(self, _size):
        """The bits this field occupies, as a mask (bit 8*offset+shift)."""
        mask = 0
        for off, shift, width in self.pieces:
            mask |= ((1 << width) - 1) << (off * 8 + shift)
        return mask

    def read(self, data):
        """This field's value in ``data`` (assumed long enough)."""
        if self._bits is not None:
            off, shift, mask = self._bits
            value = (data[off] >> shift) & mask
        elif self._span is not None:
            start, end = self._span
            value = int.from_bytes(data[start:end], 'little')
        else:
            value = self._joined(data)
        if self.signed and value >> (self.width - 1):
            value -= 1 << self.width
        return self.kind(value)

    def _joined(self, data):
        """The value of a field split over several pieces."""
        value, pos = 0, 0
        for off, shift, width in self.pieces:
            if shift == 0 and width % 8 == 0:
                part = int.from_bytes(data[off:off + width // 8], 'little')
            else:
                part = (data[off] >> shift) & ((1 << width) - 1)
            value |= part << pos
            pos += width
        return value

    def write(self, buf, value):
        """OR ``value`` into the bytearray ``buf``."""
        value = int(value)
        low = -(1 << (self.width - 1)) if self.signed else 0
        high = (1 << (self.width - 1 if self.signed else self.width)) - 1
        if not low <= value <= high:
            raise ValueError('%s=%r does not fit in %d bits'
                             % (self.name, value, self.width))
        value &= (1 << self.width) - 1
        for off, shift, width in self.pieces:
            part = value & ((1 << width) - 1)
            value >>= width
            if shift == 0 and width % 8 == 0:
                buf[off:off + width // 8] = part.to_bytes(width // 8,
                                                          'little')
            else:
                buf[off] |= part << shift


class RawField:
    """A run of bytes kept as they are (``size`` None: to the end)."""

    __slots__ = ('name', 'offset', 'size', 'default', 'optional', 'end')

    def __init__(self, name, offset, size=None, optional=False):
        self.name = name
        self.offset = offset
        self.size = size
        self.default = b''
        self.optional = optional or size is None
        self.end = offset + (size or 0)

    def __repr__(self):
        return 'RawField(%r)' % self.name

    def bits(self, size):
        """The bits this field occupies in a message of ``size`` bytes
        (a field that takes the rest runs to the end)."""
        end = self.end if self.size is not None else max(size, self.offset)
        return ((1 << (8 * (end - self.offset))) - 1) << (8 * self.offset)

    def read(self, data):
        """The bytes of this field in ``data``."""
        if self.size is None:
            return bytes(data[self.offset:])
        return bytes(data[self.offset:self.offset + self.size])

    def write(self, buf, value):
        """Copy ``value`` into ``buf`` (padding with zeros if short)."""
        value = bytes(value)
        if self.size is None:
            buf[self.offset:] = value
            return
        if len(value) > self.size:
            raise ValueError('%s is longer than %d bytes'
                             % (self.name, self.size))
        buf[self.offset:self.offset + len(value)] = value


def U(name, offset, size=1, **kw):
    """Little-endian unsigned integer of ``size`` bytes."""
    return Field(name, [(offset + i, 0, 8) for i in range(size)], **kw)


def B(name, offset, shift, width, **kw):
    """``width`` bits of one byte, from bit ``shift``."""
    return Field(name, [(offset, shift, width)], **kw)


def F(name, offset, bit, **kw):
    """One bit, as a bool."""
    kw.setdefault('default', False)
    return Field(name, [(offset, bit, 1)], kind=bool, **kw)


def S(name, *pieces, **kw):
    """An integer split over pieces ``(offset, shift, width)``."""
    return Field(name, pieces, **kw)


def Raw(name, offset, size=None, **kw):
    """Bytes kept raw; ``size`` None takes the rest of the message."""
    return RawField(name, offset, size, **kw)


def _read_or_default(field, data):
    if field.end <= len(data) or (isinstance(field, RawField) and
                                  field.size is None):
        return field.read(data)
    return field.default


class Layout:
    """The fields of one message, and its codec.

    :param title: what the message is (used in error messages), with the
        specification table it comes from
    :param fields: the fields, in any order
    :param min_length: shortest acceptable message; by default the end of
        the last field that is not optional
    :param overlaps: pairs of field names that may share bits (two views
        of the same bits)
    :raises ValueError: a duplicate name, or two fields sharing a bit
        that ``overlaps`` does not allow
    """

    def __init__(self, title, fields, min_length=None, overlaps=()):
        self.title = title
        self.fields = tuple(fields)
        self.by_name = {f.name: f for f in self.fields}
        if len(self.by_name) != len(self.fields):
            raise ValueError('duplicate field name in %s' % title)
        self.size = max(f.end for f in self.fields)
        self._refuse_overlaps({frozenset(pair) for pair in overlaps})
        if min_length is None:
            min_length = max((f.end for f in self.fields if not f.optional),
                             default=0)
        self.min_length = min_length

    def __repr__(self):
        return 'Layout(%r)' % self.title

    def _refuse_overlaps(self, allowed):
        taken = [(f, f.bits(self.size + 1)) for f in self.fields]
        for index, (one, mask) in enumerate(taken):
            for other, other_mask in taken[index + 1:]:
                if mask & other_mask and \
                        frozenset((one.name, other.name)) not in allowed:
                    raise ValueError('%s: fields %s and %s share bits' % (
                        self.title, one.name, other.name))

    def __getitem__(self, name):
        return self.by_name[name]

    def check(self, data):
        """Raise DecodeError when ``data`` is too short for this layout."""
        if len(data) < self.min_length:
            raise DecodeError('truncated %s (%d bytes, at least %d needed)'
                              % (self.title, len(data), self.min_length))

    def decode(self, data):
        """Every field of ``data`` as a dict of name -> value.

        :raises DecodeError: shorter than ``min_length``
        """
        self.check(data)
        return {f.name: _read_or_default(f, data) for f in self.fields}

    def encode(self, **values):
        """Build the message from field values (defaults for the rest).

        Optional trailing fields that are not given and have an empty
        default are left out, so short forms round-trip.

        :raises ValueError: an unknown field name or a value that does not
            fit (caller bugs, never wire data)
        """
        unknown = set(values) - set(self.by_name)
        if unknown:
            raise ValueError('%s has no field %s'
                             % (self.title, ', '.join(sorted(unknown))))
        size = max([self.min_length] + [
            f.end for f in self.fields
            if not f.optional or f.name in values])
        buf = bytearray(size)
        tail = None
        for f in self.fields:
            value = values.get(f.name, f.default)
            if isinstance(f, RawField) and f.size is None:
                tail = (f, value)
            elif f.end <= size:
                f.write(buf, value)
        if tail is not None:
            field, value = tail
            if len(buf) < field.offset:
                buf.extend(bytes(field.offset - len(buf)))
            field.write(buf, value)
        return bytes(buf)
