"""The boot device of a libvirt domain, read from and written into its
XML description (``<os><boot dev=.../></os>``).

libvirt knows no one-time boot override, so virshbmc writes every boot
device change into the persistent definition; IPMI's "next boot only"
flag is kept by the Bmc framework for Get System Boot Options.
"""

import xml.etree.ElementTree as ElementTree

# IPMI boot device names (Bmc.set_boot_device) -> libvirt <boot dev=...>
LIBVIRT_DEVICES = {
    'network': 'network',
    'hd': 'hd',
    'optical': 'cdrom',
    'floppy': 'fd',
}
IPMI_DEVICES = {value: key for key, value in LIBVIRT_DEVICES.items()}


def boot_device(xml_text):
    """The IPMI name of the first boot device of the domain described
    by ``xml_text``: 'network', 'hd', 'optical', 'floppy', or 'default'
    when the domain names none (or orders boot per device)."""
    root = ElementTree.fromstring(xml_text)
    first = root.find('./os/boot')
    if first is None:
        return 'default'
    return IPMI_DEVICES.get(first.get('dev', ''), 'default')


def with_boot_device(xml_text, device):
    """The domain XML ``xml_text`` made to boot first from ``device``
    (an IPMI name, see LIBVIRT_DEVICES).

    Per-device ``<boot order=...>`` elements are removed: libvirt refuses
    a definition that has both kinds.  Raises ValueError for a device
    libvirt cannot boot from.
    """
    if device not in LIBVIRT_DEVICES:
        raise ValueError('libvirt cannot boot from %r' % device)
    root = ElementTree.fromstring(xml_text)
    os_element = root.find('./os')
    if os_element is None:
        raise ValueError('the domain XML has no <os> element')
    for old in os_element.findall('boot'):
        os_element.remove(old)
    for parent in root.iter():
        for child in list(parent):
            if child.tag == 'boot' and child.get('order') is not None:
                parent.remove(child)
    entry = ElementTree.Element('boot', dev=LIBVIRT_DEVICES[device])
    # after <type> (and <loader>/<nvram> when present), where libvirt
    # writes it itself
    position = 0
    for index, child in enumerate(list(os_element)):
        if child.tag in ('type', 'loader', 'nvram', 'kernel', 'initrd',
                         'cmdline'):
            position = index + 1
    os_element.insert(position, entry)
    return ElementTree.tostring(root, encoding='unicode')
