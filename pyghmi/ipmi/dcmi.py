"""DCMI 1.5 operations for the client (the message codec is shared with
fakebmc in :mod:`pyghmi.ipmi.private.codec.dcmi`).

:class:`Dcmi`'s operations are flows (:mod:`pyghmi.ipmi.facade.flows`),
which a Command of either driver runs, or :meth:`Dcmi.run` through the
``xraw_command``-like callable given; capabilities are read once and
decide whether a feature is supported
(:class:`pyghmi.exceptions.UnsupportedFunctionality` otherwise).
"""

import struct

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import dcmi as codec


class Dcmi:
    """DCMI requests to one BMC.

    :param xraw: callable like ``Command.xraw_command`` for :meth:`run`
        (None: the flows are run by a Command's driver)
    :param bmc: the BMC's name, for error messages
    """

    def __init__(self, xraw, bmc):
        self._xraw = xraw
        self.bmc = bmc
        self._caps = None

    def run(self, flow):
        """Run one of the operations below through ``xraw``."""
        return flows.Blocking(self._xraw).run(flow)

    def call(self, cmd, data=b''):
        """Flow: send a DCMI request; returns the response data (with
        DCh)."""
        rsp = yield flows.Xraw(codec.NETFN, cmd, data=bytes(
            (codec.GROUP,)) + bytes(data))
        return bytes(rsp['data'])

    def capabilities(self):
        """Supported capabilities (read once).

        :raises UnsupportedFunctionality: the BMC does not speak DCMI
        """
        if self._caps is None:
            try:
                self._caps = codec.decode_capabilities((yield from self.call(
                    codec.GET_CAPABILITIES, b'\x01')))
            except (exc.IpmiException, exc.DecodeError) as err:
                if isinstance(err, exc.DecodeError) or err.ipmicode in (
                        const.CC_INVALID_COMMAND, const.CC_INVALID_DATA_FIELD,
                        const.CC_PARAMETER_OUT_OF_RANGE,
                        const.CC_INSUFFICIENT_PRIVILEGE):
                    raise exc.UnsupportedFunctionality(
                        'BMC %s does not support DCMI' % self.bmc) from None
                raise
        return self._caps

    def _power_management(self):
        if not (yield from self.capabilities())['power_management']:
            raise exc.UnsupportedFunctionality(
                'BMC %s has no DCMI power management' % self.bmc)

    def power_statistics(self):
        """System power statistics (see codec.decode_power_reading)."""
        yield from self._power_management()
        return codec.decode_power_reading((yield from self.call(
            codec.GET_POWER_READING, b'\x01\x00\x00')))

    def power_limit(self):
        """``(limit dict or None, active)`` from Get Power Limit."""
        yield from self._power_management()
        try:
            return codec.decode_power_limit((yield from self.call(
                codec.GET_POWER_LIMIT, b'\x00\x00'))), True
        except exc.IpmiException as err:
            if err.ipmicode != codec.NO_ACTIVE_LIMIT:
                raise
        return None, False

    def set_power_limit(self, watts):
        """Set Power Limit to ``watts``."""
        yield from self._power_management()
        yield from self.call(codec.SET_POWER_LIMIT,
                             codec.set_power_limit_request(int(watts))[1:])

    def activate_power_limit(self, enable):
        """Activate or deactivate the power limit."""
        yield from self._power_management()
        yield from self.call(codec.ACTIVATE_POWER_LIMIT,
                             bytes((1 if enable else 0, 0, 0)))

    def get_string(self, cmd):
        """Read the asset tag or MC id string in 16-byte pieces."""
        yield from self.capabilities()
        out, total, offset = b'', None, 0
        while total is None or offset < total:
            total, chunk = codec.decode_string_chunk((yield from self.call(
                cmd, bytes((offset, codec.CHUNK)))))
            if not chunk:
                break
            out += chunk
            offset += len(chunk)
        return out[:total].rstrip(b'\x00').decode('utf-8', 'replace')

    def set_string(self, cmd, text):
        """Write the asset tag or MC id string (at most 63 bytes)."""
        if len(text.encode('utf-8')) > 63:
            raise exc.InvalidParameterValue('string longer than 63 bytes')
        yield from self.capabilities()
        for offset, chunk in codec.string_chunks(text):
            yield from self.call(cmd, bytes((offset, len(chunk))) + chunk)

    def temperature_record_ids(self, entity):
        """SDR record ids of the DCMI temperature sensors of ``entity``."""
        yield from self.capabilities()
        data = codec.strip_group((yield from self.call(
            codec.GET_SENSOR_INFO, bytes((0x01, entity, 0, 0)))))
        count = data[1] if len(data) > 1 else 0
        if len(data) < 2 + 2 * count:
            raise exc.DecodeError('short DCMI sensor info response')
        return set(struct.unpack_from('<%dH' % count, data, 2))
