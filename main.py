"""Start the Co-Response Console: `python main.py --help` (same as `coresponse-console`)."""

import sys

from console.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
