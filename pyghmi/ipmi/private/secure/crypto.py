"""RMCP+ cipher suites as data, and the RAKP / session-key computations.

Rules of this module:

* cipher suites, authentication, integrity and confidentiality algorithms
  are table rows (IPMI v2.0 tables 22-19 and 22-20, section 13.28);
* every function is pure: keys and nonces come in as arguments;
* comparisons of codes use ``hmac.compare_digest``;
* no key or password is ever put in a ``repr`` or an exception.

Client (``session``) and server (``serversession``) both call these same
functions, so the two ends cannot compute different codes.
"""

import hashlib
import hmac
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.ciphers import modes

from pyghmi.exceptions import DecodeError


class AuthAlgorithm:
    """A RAKP authentication algorithm (13.28).

    ``digest`` is the hashlib name (None for RAKP-none), ``icv_len`` how
    many bytes of the RAKP 4 integrity check value are sent.
    """

    __slots__ = ('ident', 'name', 'digest', 'icv_len', 'key_len')

    def __init__(self, ident, name, digest, icv_len, key_len):
        self.ident = ident
        self.name = name
        self.digest = digest
        self.icv_len = icv_len
        self.key_len = key_len

    def __repr__(self):
        return 'AuthAlgorithm(%s)' % self.name


class IntegrityAlgorithm:
    """A per-packet integrity algorithm (13.28.4): HMAC truncated."""

    __slots__ = ('ident', 'name', 'digest', 'length')

    def __init__(self, ident, name, digest, length):
        self.ident = ident
        self.name = name
        self.digest = digest
        self.length = length

    def __repr__(self):
        return 'IntegrityAlgorithm(%s)' % self.name


AUTH_ALGORITHMS = {
    0x00: AuthAlgorithm(0x00, 'RAKP-none', None, 0, 0),
    0x01: AuthAlgorithm(0x01, 'RAKP-HMAC-SHA1', 'sha1', 12, 20),
    0x03: AuthAlgorithm(0x03, 'RAKP-HMAC-SHA256', 'sha256', 16, 32),
}
INTEGRITY_ALGORITHMS = {
    0x00: IntegrityAlgorithm(0x00, 'none', None, 0),
    0x01: IntegrityAlgorithm(0x01, 'HMAC-SHA1-96', 'sha1', 12),
    0x04: IntegrityAlgorithm(0x04, 'HMAC-SHA256-128', 'sha256', 16),
}
CONF_NONE = 0x00
CONF_AES_CBC_128 = 0x01
CONFIDENTIALITY_ALGORITHMS = {CONF_NONE: 'none',
                              CONF_AES_CBC_128: 'AES-CBC-128'}

# Cipher suite id -> (authentication, integrity, confidentiality), 22-20.
CIPHER_SUITES = {
    0: (0x00, 0x00, CONF_NONE),
    1: (0x01, 0x00, CONF_NONE),
    2: (0x01, 0x01, CONF_NONE),
    3: (0x01, 0x01, CONF_AES_CBC_128),
    15: (0x03, 0x00, CONF_NONE),
    16: (0x03, 0x04, CONF_NONE),
    17: (0x03, 0x04, CONF_AES_CBC_128),
}
# Suites the client picks by itself, best first: only those with both
# integrity and confidentiality.
DEFAULT_SUITE_PREFERENCE = (17, 3)
# Payloads up to this many bytes are chained by hand over ECB contexts.
_SHORT = 64
# The confidentiality trailer for each pad length (13.29): pad bytes
# 1, 2, 3... then the pad length.
_PADS = tuple(bytes(range(1, pad + 1)) + bytes((pad,)) for pad in range(16))


def suite_algorithms(suite):
    """Return ``(auth, integrity, conf)`` algorithm ids of a suite id.

    :raises KeyError: unknown suite
    """
    return CIPHER_SUITES[suite]


def suite_for_algorithms(auth, integrity, conf):
    """Return the suite id using exactly these algorithms, or None."""
    for suite, algs in CIPHER_SUITES.items():
        if algs == (auth, integrity, conf):
            return suite
    return None


def _hmac(digest, key, data):
    return hmac.digest(key, data, digest)


# The HMAC key pads (RFC 2104): the key XORed with 36h and 5Ch.
_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))


class KeyedHmac:
    """HMAC under one fixed key, with the key's inner and outer hash
    states computed once (RFC 2104 section 4): each packet then costs
    two hash copies instead of HMAC's whole key setup, about a third of
    :func:`hmac.digest`'s time for short packets.

    :param key: the key
    :param digest: a hashlib name ('sha1', 'sha256')
    """

    __slots__ = ('_inner', '_outer')

    def __init__(self, key, digest):
        block = hashlib.new(digest).block_size
        if len(key) > block:
            key = hashlib.new(digest, key).digest()
        key = key.ljust(block, b'\0')
        self._inner = hashlib.new(digest, key.translate(_IPAD))
        self._outer = hashlib.new(digest, key.translate(_OPAD))

    def __repr__(self):
        return 'KeyedHmac(%s)' % self._inner.name

    def digest(self, data):
        """HMAC of ``data``: the same bytes as ``hmac.digest``."""
        inner = self._inner.copy()
        inner.update(data)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


def rakp2_code(alg, kuid, sid_console, sid_bmc, rand_console, rand_bmc, guid,
               role, username):
    """Key exchange authentication code the BMC sends in RAKP 2 (13.31)."""
    if alg.digest is None:
        return b''
    data = (sid_console + sid_bmc + rand_console + rand_bmc + guid
            + bytes((role, len(username))) + username)
    return _hmac(alg.digest, kuid, data)


def rakp3_code(alg, kuid, rand_bmc, sid_console, role, username):
    """Key exchange authentication code the console sends in RAKP 3."""
    if alg.digest is None:
        return b''
    data = rand_bmc + sid_console + bytes((role, len(username))) + username
    return _hmac(alg.digest, kuid, data)


def session_integrity_key(alg, key, rand_console, rand_bmc, role, username):
    """SIK = HMAC(Kg or Kuid, Rm | Rc | role | name length | name), 13.31."""
    if alg.digest is None:
        return b''
    data = rand_console + rand_bmc + bytes((role, len(username))) + username
    return _hmac(alg.digest, key, data)


def rakp4_icv(alg, sik, rand_console, sid_bmc, guid):
    """Integrity check value of RAKP 4, truncated as the algorithm says."""
    if alg.digest is None:
        return b''
    return _hmac(alg.digest, sik, rand_console + sid_bmc + guid)[:alg.icv_len]


def codes_equal(expected, received):
    """Constant-time comparison of two authentication codes."""
    return hmac.compare_digest(bytes(expected), bytes(received))


class SessionKeys:
    """Per-session keys and the packet operations that use them.

    :param suite: cipher suite id
    :param sik: session integrity key from :func:`session_integrity_key`
    """

    __slots__ = ('suite', 'integrity', 'conf', '_k1', '_k2', '_aes',
                 '_ecb_enc', '_ecb_dec', '_mac')

    def __init__(self, suite, sik):
        auth_id, integ_id, conf_id = CIPHER_SUITES[suite]
        auth = AUTH_ALGORITHMS[auth_id]
        self.suite = suite
        self.integrity = INTEGRITY_ALGORITHMS[integ_id]
        self.conf = conf_id
        self._k1 = self._k2 = b''
        if auth.digest:
            # const_1 / const_2 are 20 bytes for every algorithm, SHA-256
            # included (what ipmitool and BMCs compute).
            self._k1 = _hmac(auth.digest, sik, b'\x01' * 20)
            self._k2 = _hmac(auth.digest, sik, b'\x02' * 20)
        self._mac: Any = None
        if self.integrity.digest:
            self._mac = KeyedHmac(self._k1, self.integrity.digest)
        # set when the suite encrypts (AES-CBC-128)
        self._aes: Any = None
        self._ecb_enc: Any = None
        self._ecb_dec: Any = None
        if conf_id:
            self._aes = algorithms.AES(self._k2[:16])
            # Reusable single-block contexts: chaining short payloads by
            # hand is cheaper than building a CBC context per packet.
            ecb = Cipher(self._aes, modes.ECB())
            self._ecb_enc = ecb.encryptor()
            self._ecb_dec = ecb.decryptor()

    def __repr__(self):
        return 'SessionKeys(suite=%d)' % self.suite

    @property
    def signs(self):
        """True when packets carry an integrity code."""
        return self.integrity.digest is not None

    def sign(self, data):
        """Integrity code for ``data`` (AuthType through Next Header)."""
        return self._mac.digest(data)[:self.integrity.length]

    def verify(self, data, code):
        """True when ``code`` is the right integrity code for ``data``."""
        if self._mac is None:
            return True
        return hmac.compare_digest(self.sign(data), bytes(code))

    def encrypt(self, payload, iv):
        """AES-CBC-128 encrypt a payload (13.29): IV + ciphertext.

        :param iv: 16 fresh random bytes (the caller owns randomness, so
            this stays a pure function)
        """
        if self._aes is None:
            return payload
        if len(iv) != 16:
            raise ValueError('the IV must be 16 bytes')
        pad = (-(len(payload) + 1)) % 16
        plain = bytes(payload) + _PADS[pad]
        if len(plain) == 16:
            # one block (most requests and answers): CBC is the block
            # XORed with the IV, then enciphered
            return iv + self._ecb_enc.update((
                int.from_bytes(plain, 'big') ^ int.from_bytes(iv, 'big')
            ).to_bytes(16, 'big'))
        if len(plain) > _SHORT:
            enc = Cipher(self._aes, modes.CBC(iv)).encryptor()
            return iv + enc.update(plain) + enc.finalize()
        out = [iv]
        prev = int.from_bytes(iv, 'big')
        update = self._ecb_enc.update
        for pos in range(0, len(plain), 16):
            block = int.from_bytes(plain[pos:pos + 16], 'big') ^ prev
            sealed = update(block.to_bytes(16, 'big'))
            out.append(sealed)
            prev = int.from_bytes(sealed, 'big')
        return b''.join(out)

    def decrypt(self, payload):
        """Reverse of :meth:`encrypt`.

        :raises DecodeError: wrong length or pad
        """
        if self._aes is None:
            return payload
        if len(payload) < 32 or len(payload) % 16:
            raise DecodeError('encrypted payload has an invalid length')
        payload = bytes(payload)
        if len(payload) == 32:
            # one block, the usual answer
            plain = (int.from_bytes(self._ecb_dec.update(payload[16:]), 'big')
                     ^ int.from_bytes(payload[:16], 'big')).to_bytes(16, 'big')
        elif len(payload) > _SHORT + 16:
            dec = Cipher(self._aes, modes.CBC(payload[:16])).decryptor()
            plain = dec.update(payload[16:]) + dec.finalize()
        else:
            parts = []
            update = self._ecb_dec.update
            for pos in range(16, len(payload), 16):
                block = int.from_bytes(update(payload[pos:pos + 16]), 'big')
                prev = int.from_bytes(payload[pos - 16:pos], 'big')
                parts.append((block ^ prev).to_bytes(16, 'big'))
            plain = b''.join(parts)
        pad = plain[-1]
        if pad > 15:
            raise DecodeError('encrypted payload has an invalid pad')
        return plain[:-1 - pad]


def hash_secret(*parts):
    """A one-way digest of credentials, for use as a dictionary key."""
    h = hashlib.sha256()
    for part in parts:
        part = b'' if part is None else bytes(part)
        h.update(len(part).to_bytes(2, 'big') + part)
    return h.digest()
