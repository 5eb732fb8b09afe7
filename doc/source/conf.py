"""Sphinx configuration for the pyghmi documentation."""
import os
import sys

sys.path.insert(0, os.path.abspath('../..'))
sys.path.insert(0, os.path.abspath('_ext'))

project = 'pyghmi'
copyright = 'pyghmi developers, Apache License 2.0'
extensions = ['sphinx.ext.autodoc', 'programhelp']
master_doc = 'index'
exclude_patterns = []
html_theme = 'alabaster'
autodoc_member_order = 'bysource'
