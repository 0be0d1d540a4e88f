"""The reader's site: what the templates in ``quotes/templates`` show, read from the database.

Datasette hooks live in ``quotes/plugins`` and stay thin; the queries and the HTML built from
article text live here, so a template never sees unescaped article text.
"""
