"""`python -m factdb` runs the same CLI as `factdb`."""

from factdb.cli import main

main()
