"""Build with pbr; all metadata lives in setup.cfg."""
import setuptools

setuptools.setup(setup_requires=['pbr>=2.0.0'], pbr=True)
