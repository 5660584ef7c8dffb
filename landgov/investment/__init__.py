"""产业链精准招商: industry chains, investment projects, available plots and matching.

Role files as in every domain (models, schemas, queries + sql/, service, router, cli);
``chains.py`` is the chain catalogue, ``matching.py`` the transparent score (pure),
``shape_fit.py`` the usable-rectangle test. See docs/investment.md.
"""
