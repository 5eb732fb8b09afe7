"""The areas of :class:`pyghmi.ipmi.command.Command`, one module each.

``Command`` is a thin facade built from these mixins: ``chassis``
(power, boot, identify), ``sensors`` (readings, health), ``eventlog``
(SEL, PET), ``inventory`` (FRU, SPD), ``dcmi``, ``users`` (users and
channel access), ``lan``, ``alerts`` and ``oem`` (what pyghmi hands to
the vendor handler).  ``parts`` types what every area takes from the
facade (its raw request methods, its vendor handler) and the argument
types of the public API.  Each area checks its arguments
(``private.args``) before anything is sent and returns pyghmi 1.6.19's
result shapes.  May import the feature modules of ``pyghmi.ipmi`` and
``private``; never ``command`` (which imports them).
"""
