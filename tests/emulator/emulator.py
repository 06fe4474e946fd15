"""Command line entry point: ``python tests/emulator/emulator.py [options]``."""

import os
import sys

# The emulator is not an installed package; make ``elb_emulator`` importable from a plain checkout.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from elb_emulator.cli import main

if __name__ == "__main__":
    sys.exit(main())
