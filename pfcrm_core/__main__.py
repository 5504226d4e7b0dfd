"""Entry point for ``python -m pfcrm_core``."""

import os
import sys

from .cli import main

try:
    status = main()
    sys.stdout.flush()
except BrokenPipeError:
    # The reader closed the pipe (for example `run-rules | head -1`): stop quietly.
    # Point stdout at /dev/null so Python's own flush at exit does not fail again.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    status = 1
sys.exit(status)
