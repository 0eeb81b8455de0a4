"""Entry point for `python -m compiler`."""

import gc
import sys

# One command-line compile is one short process that makes a few hundred thousand objects and
# no reference cycles worth hunting (see `compiler.pipeline.collector_paused`): the cycle collector
# stays off from the first import to the end, instead of walking the growing heap during the
# imports, the argument parsing and the file reading (16 ms of a 3,000 x 6 compile).
gc.disable()

from compiler.cli import main  # noqa: E402  # imported with the collector off

status = main()
# The process is ending: spare the interpreter's last collection a walk over everything still
# alive (16 ms after a large compile), whose memory goes back to the system either way.
gc.freeze()
sys.exit(status)
