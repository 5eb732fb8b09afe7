"""Redfish errors: the extended-error body and the messages the service
uses, as data.

Message identifiers are those of the Redfish Base message registry
(``Base.1.8.<Name>``), which clients resolve with their own copy; the
texts here are this service's own wording.  The registry resource points
to the published registry file (:func:`registry_file`).
"""

REGISTRY_PREFIX = 'Base'
REGISTRY_VERSION = '1.8.0'
MESSAGE_PREFIX = 'Base.1.8.'
PUBLICATION_URI = 'https://redfish.dmtf.org/registries/Base.1.8.0.json'

# name -> (severity, text with {0}, {1}... for the arguments, resolution)
MESSAGES = {
    'Success': ('OK', 'The request completed.', 'None.'),
    'Created': ('OK', 'The resource was created.', 'None.'),
    'GeneralError': ('Critical', 'The request failed: {0}',
                     'See the message and try again.'),
    'ResourceNotFound': ('Critical', 'No {0} named {1} exists.',
                         'Check the URI and try again.'),
    'NoValidSession': ('Critical', 'No valid session or credentials were '
                       'given for this request.',
                       'Log in (SessionService or Basic authentication) '
                       'and try again.'),
    'InsufficientPrivilege': ('Critical', 'The account lacks the '
                              'privilege this request needs.',
                              'Use an account with that privilege.'),
    'MalformedJSON': ('Critical', 'The request body is not valid JSON.',
                      'Send a JSON object.'),
    'PropertyUnknown': ('Warning', 'The property {0} is not known here.',
                        'Remove it from the request.'),
    'PropertyNotWritable': ('Warning', 'The property {0} cannot be '
                            'changed.', 'Remove it from the request.'),
    'PropertyValueNotInList': ('Warning', 'The value {0} is not allowed '
                               'for {1}.', 'Use an allowed value.'),
    'PropertyValueTypeError': ('Warning', 'The value {0} has the wrong '
                               'type for {1}.', 'Use a value of the '
                               'property\'s type.'),
    'PropertyMissing': ('Warning', 'The property {0} is required.',
                        'Add it to the request.'),
    'ActionNotSupported': ('Critical', 'The action {0} is not supported '
                           'here.', 'Use an action the resource lists.'),
    'ActionParameterMissing': ('Critical', 'The action {0} needs the '
                               'parameter {1}.', 'Add the parameter.'),
    'ActionParameterValueNotInList': ('Critical', 'The value {0} of '
                                      'parameter {1} is not allowed for '
                                      'the action {2}.',
                                      'Use an allowed value.'),
    'ActionParameterUnknown': ('Critical', 'The action {0} has no '
                               'parameter {1}.', 'Remove it.'),
    'OperationNotAllowed': ('Critical', 'This operation is not allowed on '
                            'this resource.', 'Use a method the Allow '
                            'header lists.'),
    'PreconditionFailed': ('Critical', 'The ETag given in If-Match does '
                           'not match the resource.', 'Read the resource '
                           'again and retry with its ETag.'),
    'SessionLimitExceeded': ('Critical', 'No more sessions can be '
                             'opened.', 'Close a session and retry.'),
    'CreateLimitReachedForResource': ('Critical', 'No more members can be '
                                      'created in this collection.',
                                      'Delete a member and retry.'),
    'ResourceAlreadyExists': ('Critical', 'A {0} with {1} {2} already '
                              'exists.', 'Use another value.'),
    'PayloadTooLarge': ('Critical', 'The request body is too large.',
                        'Send a smaller body.'),
    'NoOperation': ('Warning', 'The request asked for no change.',
                    'Add the properties to change.'),
    'HeaderInvalid': ('Critical', 'The header {0} cannot be honoured.',
                      'Send the header as the service supports it.'),
    'QueryNotSupported': ('Warning', 'This service supports no query '
                          'options.', 'Send the request without them.'),
}


class RedfishError(Exception):
    """A request the service refuses: HTTP ``status`` and a message of
    :data:`MESSAGES` with its arguments."""

    def __init__(self, status, message, *args, headers=None):
        super().__init__(message, *args)
        self.status = status
        self.message = message
        self.args_ = tuple(str(arg) for arg in args)
        self.headers = dict(headers or {})


def extended_info(message, *args):
    """One ``Message`` object of ``@Message.ExtendedInfo``."""
    severity, text, resolution = MESSAGES[message]
    return {
        '@odata.type': '#Message.v1_1_1.Message',
        'MessageId': MESSAGE_PREFIX + message,
        'Message': text.format(*args),
        'MessageArgs': [str(arg) for arg in args],
        'MessageSeverity': severity,
        'Severity': severity,
        'Resolution': resolution,
    }


def error_body(message, *args):
    """The body of an error response (Redfish's extended error)."""
    info = extended_info(message, *args)
    return {'error': {'code': info['MessageId'], 'message': info['Message'],
                      '@Message.ExtendedInfo': [info]}}


def registry_file():
    """The MessageRegistryFile resource of the Base registry."""
    name = '%s.%s' % (REGISTRY_PREFIX, REGISTRY_VERSION)
    return {
        '@odata.id': '/redfish/v1/Registries/%s' % name,
        '@odata.type': '#MessageRegistryFile.v1_1_3.MessageRegistryFile',
        'Id': name, 'Name': 'Base message registry file',
        'Description': 'Where the messages of this service are defined',
        'Languages': ['en'], 'Registry': name,
        'Location': [{'Language': 'en', 'PublicationUri': PUBLICATION_URI}],
    }
