"""BIOS settings: the Bios resource's attributes, the pending settings
object, the attribute registry (display names, defaults, help, read-only
and the registry's Map dependencies) and the BIOS reset."""

import fnmatch
import re
import typing

from pyghmi import exceptions as exc
from pyghmi.redfish.areas import base

# MapFromCondition -> test of (current, wanted)
CONDITIONS = {
    'EQU': lambda a, b: a == b, 'NEQ': lambda a, b: a != b,
    'GEQ': lambda a, b: float(a) >= float(b),
    'GTR': lambda a, b: float(a) > float(b),
    'LEQ': lambda a, b: float(a) <= float(b),
    'LSS': lambda a, b: float(a) < float(b),
}


class Registry:
    """What an AttributeRegistry says: per attribute its entry, value
    names <-> display names, and its Map dependencies."""

    def __init__(self, entries=None):
        entries = entries if isinstance(entries, dict) else {}
        self.attributes = {a['AttributeName']: a
                           for a in base.objects(entries, 'Attributes')
                           if isinstance(a.get('AttributeName'), str)}
        self.to_display: typing.Dict[str, dict] = {}
        self.to_value: typing.Dict[str, dict] = {}
        for name, attr in self.attributes.items():
            for value in base.objects(attr, 'Value'):
                raw, shown = value.get('ValueName'), value.get(
                    'ValueDisplayName', value.get('ValueName'))
                self.to_display.setdefault(name, {})[raw] = shown
                self.to_value.setdefault(name, {})[shown] = raw
        self.dependencies: typing.Dict[str, list] = {}
        for dep in base.objects(entries, 'Dependencies'):
            if dep.get('Type') == 'Map' and isinstance(dep.get('Dependency'),
                                                       dict):
                self.dependencies.setdefault(
                    dep.get('DependencyFor'), []).append(dep['Dependency'])

    def shown(self, name, value):
        try:
            return self.to_display.get(name, {}).get(value, value)
        except TypeError:             # an unhashable value
            return value

    def extra(self, name):
        """pyghmi's ``default``, ``help``, ``sortid``, ``possible``."""
        attr = self.attributes.get(name)
        if attr is None:
            return {}
        default = self.shown(name, attr.get('DefaultValue'))
        if attr.get('Type') == 'Integer' and isinstance(default, str) and \
                default.lstrip('-').isdigit():
            default = int(default)
        if attr.get('Type') == 'Boolean':
            possible = ['True', 'False']
        else:
            possible = [v.get('ValueDisplayName', v.get('ValueName'))
                        for v in base.objects(attr, 'Value')]
        return {'default': default, 'help': attr.get('HelpText'),
                'sortid': attr.get('DisplayOrder'), 'possible': possible}

    def overrides(self, name, current):
        """``(properties, blamed attributes)``: what the Map
        dependencies make of attribute ``name`` given ``current``
        values (ReadOnly, GrayOut...)."""
        properties, blamed = {}, []
        for dep in self.dependencies.get(name, ()):
            verdict, term = None, None
            for source in base.objects(dep, 'MapFrom'):
                if verdict is not None and not term:
                    break     # two conditions need a MapTerms between
                attribute = source.get('MapFromAttribute')
                blamed.append(attribute)
                if source.get('MapFromProperty') == 'CurrentValue':
                    if attribute not in current:
                        verdict = None
                        break
                    value = current[attribute]
                else:
                    value = self.attributes.get(attribute, {}).get(
                        source.get('MapFromProperty'))
                test = CONDITIONS.get(source.get('MapFromCondition'))
                try:
                    now = bool(test and test(value,
                                             source.get('MapFromValue')))
                except (TypeError, ValueError):
                    now = False
                verdict = now if verdict is None else (
                    verdict and now if term == 'AND' else verdict or now)
                term = source.get('MapTerms')
            if verdict and dep.get('MapToAttribute') == name:
                properties[dep.get('MapToProperty')] = dep.get('MapToValue')
        return properties, blamed


class Bios(base.Base):
    """BIOS settings flows."""

    def _bios(self):
        """Flow: ``(uri, Bios resource)``.

        :raises UnsupportedFunctionality: the system has no Bios
        """
        uri = base.link((yield from self.system()), 'Bios')
        if not uri:
            raise exc.UnsupportedFunctionality(
                'Bios management not detected on this platform')
        return uri, (yield from self.conn.get(uri, cache=False))

    def _registry(self, name):
        """Flow: the :class:`Registry` named by the Bios resource (an
        empty one when the service does not list it)."""
        uri = base.link(self.root, 'Registries')
        if not isinstance(name, str) or not uri:
            return Registry()
        candidates = base.links(base.seq((yield from self.conn.get(uri)),
                                         'Members'))
        chosen = [c for c in candidates if base.last_part(c) == name] or \
            [c for c in candidates if base.last_part(c).split('.')[0] ==
             name.split('.')[0]]
        if not chosen:
            return Registry()
        info = yield from self.conn.get(chosen[0])
        for place in base.objects(info, 'Location'):
            language = place.get('Language', 'en')
            where = base.text(place, 'Uri')
            if where and isinstance(language, str) and \
                    language.startswith('en'):
                data = yield from self.conn.get(where)
                return Registry(base.obj(data, 'RegistryEntries'))
        return Registry()

    def _pending(self, bios):
        """Flow: ``(settings URI or None, pending settings resource)``."""
        uri = base.link(bios, '@Redfish.Settings', 'SettingsObject')
        if not uri:
            return None, {}
        try:
            return uri, (yield from self.conn.get(uri, cache=False))
        except exc.RedfishError:
            return uri, {}

    def _settings(self):
        """Flow: ``(settings, registry, bios, pending uri, pending)``."""
        _, bios = yield from self._bios()
        registry = yield from self._registry(bios.get('AttributeRegistry'))
        pending_uri, pending = yield from self._pending(bios)
        waiting = base.obj(pending, 'Attributes')
        out = {}
        for name, active in base.obj(bios, 'Attributes').items():
            value = waiting.get(name, active)
            entry = {'value': registry.shown(name, value)}
            shown_active = registry.shown(name, active)
            if shown_active != entry['value']:
                entry['active'] = shown_active
            entry.update(registry.extra(name))
            out[name] = entry
        return out, registry, bios, pending_uri, pending

    @base.call
    def get_system_configuration(self, hideadvanced=True):
        """The BIOS settings: ``{name: {'value'[, 'active'], 'default',
        'help', 'sortid', 'possible'}}`` (``value`` the pending one when
        a change waits for a restart, ``active`` then the current one;
        the last four only where the attribute registry is listed).

        :raises UnsupportedFunctionality: no Bios resource
        """
        return (yield from self._settings())[0]

    @base.call
    def set_system_configuration(self, changeset):
        """Change BIOS settings (applied at the next restart): names may
        be patterns ('*Boot*') and values display names or prefixes of
        one.  Dependencies of the registry that make a setting read-only
        are honoured; an ETag conflict is retried after a fresh read.

        :param changeset: ``{name: value}``
        :raises InvalidParameterValue: an unknown or read-only setting,
            or a value it does not take, before anything is sent
        :raises UnsupportedFunctionality: no Bios, or no settings object
        """
        if not isinstance(changeset, dict):
            raise exc.InvalidParameterValue('changeset: a dict')
        settings, registry, bios, pending_uri, pending = \
            yield from self._settings()
        if not pending_uri:
            raise exc.UnsupportedFunctionality(
                'Ability to set BIOS settings not detected on this platform')
        current = dict(base.obj(bios, 'Attributes'))
        current.update(base.obj(pending, 'Attributes'))
        changes = {}
        for name, value in _expand(changeset, settings).items():
            changes[name] = _check(name, value, settings, registry, current)
        etag = pending.get('@odata.etag')
        yield from self.conn.write('PATCH', pending_uri,
                                   {'Attributes': changes},
                                   etag=etag if isinstance(etag, str)
                                   else None)

    @base.call
    def clear_system_configuration(self):
        """Return the BIOS settings to their defaults (Bios.ResetBios,
        applied at the next restart).

        :raises UnsupportedFunctionality: no such action
        """
        _, bios = yield from self._bios()
        action = base.obj(bios, 'Actions', '#Bios.ResetBios')
        target = base.text(action, 'target')
        if not target:
            raise exc.UnsupportedFunctionality(
                'BIOS reset not detected on this system')
        body = {}
        info_uri = base.text(action, '@Redfish.ActionInfo')
        if info_uri:
            info = yield from self.conn.get(info_uri)
            for parameter in base.objects(info, 'Parameters'):
                if not parameter.get('Required'):
                    continue
                allowed = base.seq(parameter, 'AllowableValues')
                if parameter.get('Name') == 'ResetType' and allowed:
                    body['ResetType'] = allowed[0]
                else:
                    raise exc.UnsupportedFunctionality(
                        'BIOS reset needs an unknown parameter %s'
                        % parameter.get('Name'))
        yield from self.conn.write('POST', target, body)


def _expand(changeset, settings):
    """The changeset with patterns replaced by the names they match."""
    out = {}
    for name, value in changeset.items():
        if name in settings:
            out[name] = value
            continue
        matches = [s for s in settings
                   if fnmatch.fnmatch(s.lower(), str(name).lower()) or
                   fnmatch.fnmatch(s.lower(),
                                   str(name).replace('.', '_').lower())]
        if not matches:
            raise exc.InvalidParameterValue('%s: no such setting' % name)
        for match in matches:
            out[match] = value
    return out


def _check(name, value, settings, registry, current):
    """The raw value to send for ``name`` (display names translated,
    types as the registry says), or InvalidParameterValue."""
    attr = dict(registry.attributes.get(name, {}))
    properties, blamed = registry.overrides(name, current)
    attr.update(properties)
    if attr.get('ReadOnly') or attr.get('GrayOut'):
        message = '%s is read only' % name
        if blamed:
            message += ' due to one of the following settings: %s' % (
                ','.join(sorted(str(b) for b in blamed)))
        raise exc.InvalidParameterValue(message)
    possible = settings[name].get('possible') or []
    if possible and value not in possible:
        wanted = re.sub(r'\s+', '', str(value).lower())
        if not wanted.endswith('*'):
            wanted += '*'
        for candidate in possible:
            if fnmatch.fnmatch(str(candidate).lower().replace(' ', ''),
                               wanted):
                value = candidate
                break
        else:
            raise exc.InvalidParameterValue(
                '%s is not a valid value for %s (%s)' % (
                    value, name, ','.join(str(p) for p in possible)))
    value = registry.to_value.get(name, {}).get(value, value)
    kind = attr.get('Type')
    if kind == 'Integer':
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise exc.InvalidParameterValue('%s takes an integer' % name)
    elif kind == 'Boolean' and not isinstance(value, bool):
        text = str(value).lower()
        if text not in ('true', 'false', 'yes', 'no', '1', '0', 'on', 'off',
                        'enable', 'disable', 'enabled', 'disabled'):
            raise exc.InvalidParameterValue('%s takes true or false' % name)
        value = text in ('true', 'yes', '1', 'on', 'enable', 'enabled')
    return value
