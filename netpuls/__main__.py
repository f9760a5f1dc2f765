"""`python -m netpuls` runs the command-line interface."""

from netpuls.cli import main

raise SystemExit(main())
