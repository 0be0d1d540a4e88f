"""quotes: who said what, from news articles to a searchable SQLite database."""

__version__ = "0.1.0"
