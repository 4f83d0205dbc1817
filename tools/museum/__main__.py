import sys

from museum.cli import main

sys.exit(main())
