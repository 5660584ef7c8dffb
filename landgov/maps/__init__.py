"""Folium map pages and the printable 推介单.

Pages: evaluation classes, 连片 zones, a project's matches, fully offline; the 推介单
(investment brochure) of a plot or zone as HTML and PDF. See docs/maps.md.
"""
