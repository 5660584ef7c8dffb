"""``python -m landgov`` runs the CLI."""

from landgov.cli import main

main()
