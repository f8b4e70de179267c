"""Persistence: SQLAlchemy models, the SQLite engine, migrations, backups and the attachment store."""
