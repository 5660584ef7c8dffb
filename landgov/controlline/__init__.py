"""工业用地控制线: the line's polygons and the 占补 ledger (改一补一 / 先补后占).

The rule itself lives in the database (migration 0009, constraint triggers checked at
COMMIT), so every write path meets it; this package imports the line, records additions
and conversions, and reads the ledger. See docs/controlline.md.
"""
