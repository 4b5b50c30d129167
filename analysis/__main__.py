"""``python -m analysis``: see :mod:`analysis.cli`."""

import sys

from .cli import main

if __name__ == "__main__":  # not when a worker process started by "spawn" imports it
    sys.exit(main())
