"""pyghmi's ``raw_command`` result convention, for every kind of session.

``raw_command`` never raises for a BMC's refusal or a time-out: the
outcome is a dict ``{'netfn', 'command', 'code', 'data'}``, with
``'error'`` (text) when the completion code is not zero or the request
failed (``code`` then being the error's code, 0xFFFF on time-out).
"""

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const


def response_dict(netfn, command, code, data, bridged=False):
    """The result dict of a response (``netfn`` of the request;
    ``bridged`` when it went through Send Message)."""
    rsp = {'netfn': netfn + 1, 'command': command, 'code': code,
           'data': bytearray(data)}
    if code:
        rsp['error'] = const.completion_text(netfn, command, code, bridged)
    return rsp


def error_dict(err):
    """The result dict of a request that failed with ``err``."""
    return {'error': str(err), 'code': err.ipmicode or const.CC_NO_RESPONSE}


def request_dict(req):
    """The result dict of a finished client core request."""
    if req.error is not None:
        return error_dict(req.error)
    return response_dict(req.netfn, req.cmd, req.code, req.data_out,
                         bool(req.bridge))


def raw_result(request, netfn, command, data, bridge, *args):
    """Run ``request(netfn, command, data, bridge, *args) -> (code,
    data)`` and give its outcome as a result dict."""
    try:
        code, rdata = request(netfn, command, data, bridge, *args)
    except exc.IpmiException as err:
        return error_dict(err)
    return response_dict(netfn, command, code, rdata, bool(bridge))
