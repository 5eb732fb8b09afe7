"""Lenovo (XCC, XCC3, TSM, SMM3): standard Redfish here.  What pyghmi
1.6.19 did through the XCC's own web API (outside Redfish) raises
UnsupportedFunctionality naming that API."""

from pyghmi import exceptions as exc
from pyghmi.redfish.areas import base
from pyghmi.redfish.oem import generic

WEB_API_ONLY = (
    'get_bmc_configuration', 'set_bmc_configuration',
    'get_extended_bmc_configuration', 'get_storage_configuration',
    'apply_storage_configuration', 'remove_storage_configuration',
    'check_storage_configuration', 'get_screenshot', 'get_diagnostic_data',
    'upload_media', 'get_ikvm_methods', 'get_ikvm_launchdata')


class OEMHandler(generic.OEMHandler):
    """Lenovo."""

    vendor = 'Lenovo'


def _web_api_only(name):
    def flow(self, *args, **kwargs):
        raise exc.UnsupportedFunctionality(
            '%s needs the Lenovo XCC web API (outside Redfish), which '
            'this package does not speak' % name)
        yield   # pragma: no cover  (a flow)
    flow.__name__ = name
    flow.__doc__ = ('Not here: pyghmi 1.6.19 used the Lenovo XCC web '
                    'API.\n\n:raises UnsupportedFunctionality: always')
    return base.call(flow)


for _name in WEB_API_ONLY:
    setattr(OEMHandler, _name, _web_api_only(_name))
