"""The one optional C extension; everything else about the package is in pyproject.toml.

``envcheck/sources/_pyfast.c`` is the python dialect's fast path: plain lines
read in C, about twice as fast on large files.  ``optional=True``: without a
C compiler the install still succeeds and ``python_parser`` reads the same
lines with its regex.  (Here rather than in pyproject.toml, where setuptools
still marks ``ext-modules`` experimental.)
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("envcheck.sources._pyfast", ["envcheck/sources/_pyfast.c"], optional=True),
    ]
)
