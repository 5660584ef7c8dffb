"""Importing parcels from desktop-GIS files: read, detect, map, validate, write (issue 6).

``service.run_import`` is the one entry point; the CLI (``landgov import``) and the
upload job (``POST /api/v1/imports``) both call it.
"""
