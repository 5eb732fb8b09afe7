"""The fake machine's BIOS setup: attributes described by the profile
(``bios.attributes``), their current values, and the settings waiting
for the next boot (applied when the system powers on or resets, as a
real BIOS reads them at POST).

An attribute is ``{"name", "type": "Enumeration" | "Boolean" | "Integer"
| "String", "value", "values" (Enumeration), "min"/"max" (Integer),
"max_length" (String), "display_name", "read_only"}``.
"""

from pyghmi import exceptions as exc

TYPES = {'Enumeration': str, 'Boolean': bool, 'Integer': int,
         'String': str}


class BiosSetup:
    """Attributes, current values and pending settings.

    :param specs: the profile's ``bios.attributes`` list
    """

    def __init__(self, specs):
        self.specs = {}
        for spec in specs:
            self.specs[spec['name']] = dict(spec)
        self.current = {name: spec.get('value')
                        for name, spec in self.specs.items()}
        self.pending = {}

    def check(self, name, value):
        """Why ``value`` cannot be set for ``name`` (None when it can):
        'unknown', 'read only', 'type' or 'value'."""
        spec = self.specs.get(name)
        if spec is None:
            return 'unknown'
        if spec.get('read_only'):
            return 'read only'
        kind = TYPES[spec['type']]
        if not isinstance(value, kind) or (kind is int and
                                           isinstance(value, bool)):
            return 'type'
        if spec['type'] == 'Enumeration' and value not in spec['values']:
            return 'value'
        if spec['type'] == 'Integer' and not (
                spec.get('min', value) <= value <= spec.get('max', value)):
            return 'value'
        if spec['type'] == 'String' and \
                len(str(value)) > spec.get('max_length', 255):
            return 'value'
        return None

    def set_pending(self, values):
        """Add settings for the next boot (checked by the caller)."""
        self.pending.update(values)

    def apply(self):
        """The system boots: pending settings become current."""
        self.current.update(self.pending)
        self.pending = {}

    def defaults(self):
        """Ask for the profile's values at the next boot."""
        self.pending = {name: spec.get('value')
                        for name, spec in self.specs.items()}

    def to_state(self):
        """Current and pending values, JSON-able."""
        return {'current': dict(self.current), 'pending': dict(self.pending)}

    def load_state(self, state):
        """Restore :meth:`to_state` (attributes the profile no longer
        has are dropped)."""
        for key in ('current', 'pending'):
            values = {name: value for name, value in
                      state.get(key, {}).items() if name in self.specs}
            getattr(self, key).update(values)


def validate(bios):
    """Check the profile's ``bios`` object; InvalidParameterValue names
    the problem."""
    if not isinstance(bios, dict) or not isinstance(
            bios.get('attributes', []), list):
        raise exc.InvalidParameterValue('fakebmc profile: bios must be an '
                                        'object with an attributes list')
    setup = BiosSetup(bios.get('attributes', ()))
    for name, spec in setup.specs.items():
        if spec.get('type') not in TYPES:
            raise exc.InvalidParameterValue(
                'fakebmc profile: bios attribute %s has no known type'
                % name)
        if spec['type'] == 'Enumeration' and not spec.get('values'):
            raise exc.InvalidParameterValue(
                'fakebmc profile: bios attribute %s lists no values'
                % name)
        writable = dict(spec, read_only=False)
        setup.specs[name] = writable
        if setup.check(name, spec.get('value')) is not None:
            raise exc.InvalidParameterValue(
                'fakebmc profile: bios attribute %s has a bad value' % name)
