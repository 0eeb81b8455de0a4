"""Entry point for `python -m compiler`."""

import gc
import sys

from compiler.cli import main

status = main()
# The process is ending: spare the interpreter's last collection a walk over everything still
# alive (16 ms after a large compile), whose memory goes back to the system either way.
gc.freeze()
sys.exit(status)
