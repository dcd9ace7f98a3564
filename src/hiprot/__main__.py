"""Allow `python -m hiprot`."""

from hiprot.cli import main

main()
