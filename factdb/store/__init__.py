"""The database: schema models, migrations, connections, and the build that fills it."""
