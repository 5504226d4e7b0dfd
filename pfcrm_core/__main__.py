"""Entry point for ``python -m pfcrm_core``."""

import sys

from .cli import main

sys.exit(main())
