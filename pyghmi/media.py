"""Virtual media as vendor handlers report it (``Command.list_media``)."""


class Media:
    """One virtual medium.

    :param name: the image name as the BMC shows it
    :param url: where the BMC reads it from, when remote
    """

    def __init__(self, name, url=None):
        self.name = name
        self.url = url

    def __repr__(self):
        return 'Media(%r, url=%r)' % (self.name, self.url)
