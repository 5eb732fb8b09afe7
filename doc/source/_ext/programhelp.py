"""``.. program-help:: pyghmi.cmd.TOOL``: the tool's ``--help`` text,
made by its own argument parser (``build_parser()``) when the docs are
built, so the CLI reference cannot drift from the code."""

import importlib
import os

from docutils import nodes
from docutils.parsers.rst import Directive


class ProgramHelp(Directive):
    """Insert ``build_parser().format_help()`` of the named module as a
    literal block."""

    required_arguments = 1

    def run(self):
        module = importlib.import_module(self.arguments[0])
        # a fixed width: the same text on every terminal and builder
        os.environ['COLUMNS'] = '78'
        text = module.build_parser().format_help()
        return [nodes.literal_block(text, text)]


def setup(app):
    """Sphinx extension entry point."""
    app.add_directive('program-help', ProgramHelp)
    return {'parallel_read_safe': True, 'version': '1'}
