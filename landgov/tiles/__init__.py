"""Map tiles: vector tiles (MVT) of the registered layers, raster tiles, TileJSON.

See ``docs/tiles.md``: the layer registry (``layers.py``), the tile matrix sets
(``grids.py``), and the cache that database edits invalidate (``cache.py``,
``listener.py``, migration ``0003_tile_invalidation``).
"""
