"""Region layers as GeoJSON text, built by PostGIS."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

# Each layer: the table and the properties it shows. Table names are fixed here, never
# taken from the request.
LAYERS: dict[str, tuple[str, str]] = {
    "counties": ("county", "'code', code, 'name', name"),
    "towns": ("town", "'code', code, 'name', name, 'area_mu', round(area_mu::numeric, 2)"),
    "platforms": ("platform", "'code', code, 'name', name, 'kind', kind, "
                              "'area_mu', round(area_mu::numeric, 2)"),
}


def layer_geojson(session: Session, layer: str, tolerance_deg: float) -> str:
    """A whole region layer as a FeatureCollection, simplified for display."""
    table, props = LAYERS[layer]
    return str(session.execute(text(f"""
        SELECT json_build_object('type', 'FeatureCollection', 'features',
            COALESCE(json_agg(json_build_object(
                'type', 'Feature', 'id', code,
                'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, :tol), 6)::json,
                'properties', json_build_object({props})) ORDER BY code), '[]'::json))::text
        FROM {table}
    """), {"tol": tolerance_deg}).scalar_one())
