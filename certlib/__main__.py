"""``python -m certlib`` is the ``certlib`` command."""

import sys

from certlib.cli import main

sys.exit(main())
