import sys

from pfcrm_core.ingest.cli import main

sys.exit(main())
