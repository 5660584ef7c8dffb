"""OGC API - Features under ``/ogc``: what desktop GIS (QGIS, GDAL) read and edit.

A thin standard face over the domains: reads go through one generic query per
registered collection (``registry.py``, ``collections.py``), writes through the parcel
editing service (``transactions.py``), so there is no second write path. See
docs/ogc.md.
"""
