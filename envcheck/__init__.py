"""envcheck: check the environment your app will actually see.

Only the version lives here, so that ``import envcheck`` stays free.
"""

__version__ = "0.1.0"
