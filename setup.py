"""The one optional C extension; everything else about the package is in pyproject.toml.

``envcheck/sources/_fastlines.c`` holds the parsers' fast paths: plain lines
read in C, two to three times as fast as the regex on large files.
``optional=True``: without a C compiler the install still succeeds and the
parsers read the same lines with their regex.  (Here rather than in pyproject.toml, where setuptools
still marks ``ext-modules`` experimental.)
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("envcheck.sources._fastlines", ["envcheck/sources/_fastlines.c"], optional=True),
    ]
)
