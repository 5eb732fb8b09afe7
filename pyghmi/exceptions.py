"""The exceptions pyghmi raises.

One hierarchy: every error this library raises on purpose derives from
``PyghmiException``.  Errors that come from talking to a BMC derive from
``IpmiException`` so that ``except IpmiException`` code written for the
original pyghmi keeps catching time-outs, authentication failures and
protocol errors too.  Exception text never contains a password, Kg or
session key.
"""

from typing import Any, Optional


class PyghmiException(Exception):
    """Base of every exception pyghmi raises deliberately."""


class IpmiException(PyghmiException):
    """An IPMI operation failed.

    :param text: human readable description
    :param code: the IPMI completion code (0 when none applies); kept as
        ``ipmicode`` as in pyghmi
    :param bmc: optional name of the BMC the error came from
    :param netfn: optional network function of the failed request
    :param command: optional command number of the failed request
    """

    def __init__(self, text: str = '', code: int = 0,
                 bmc: Optional[str] = None, netfn: Optional[int] = None,
                 command: Optional[int] = None) -> None:
        super().__init__(text)
        self.ipmicode = code
        self.bmc = bmc
        self.netfn = netfn
        self.command = command


class IpmiTimeoutError(IpmiException):
    """The BMC did not answer within the allowed time and retries."""


class IpmiAuthenticationError(IpmiException):
    """The BMC refused the credentials (user, password, Kg or privilege)."""


class IpmiProtocolError(IpmiException):
    """The BMC answered with something the protocol does not allow."""


class DecodeError(IpmiProtocolError):
    """Bytes from the network could not be decoded (truncated or forged)."""


class RedfishError(PyghmiException):
    """Error reported by a Redfish service (kept for API compatibility)."""

    def __init__(self, text: str = '', msgid: Optional[str] = None) -> None:
        super().__init__(text)
        self.msgid = msgid


class UnrecognizedCertificate(Exception):
    """A TLS certificate was not accepted by the verification callback."""

    def __init__(self, text: str = '',
                 certdata: Optional[bytes] = None) -> None:
        super().__init__(text)
        self.certdata = certdata


class TemporaryError(Exception):
    """A condition that should clear by itself but is worth reporting."""


class InvalidParameterValue(PyghmiException):
    """A caller passed an argument the library cannot use."""


class BmcErrorException(IpmiException):
    """The BMC behaved in a way the specification does not allow."""


class UnsupportedFunctionality(PyghmiException):
    """The requested function is not supported by this endpoint."""


class BypassGenericBehavior(PyghmiException):
    """An OEM handler finished the job; skip the generic follow-up."""


class FallbackData(PyghmiException):
    """An OEM handler offers data to use if the generic path finds none."""

    def __init__(self, fallbackdata: Any) -> None:
        super().__init__()
        self.fallbackdata = fallbackdata
