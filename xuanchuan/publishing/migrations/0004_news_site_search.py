"""The news site's search index on PostgreSQL: a trigram index (pg_trgm, ``gin_trgm_ops``) on
``Publication.search_text``, which serves ``ILIKE '%词%'`` for Chinese terms of three or more
characters (``publishing.site.search``). Creating the extension needs rights a hosted database may
not give: then the index is left out and search scans the public items. Nothing on SQLite."""

from django.db import migrations

INDEX = "publishing_pub_search_trgm"


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
            if cursor.fetchone() is None:
                return
            try:
                cursor.execute("SAVEPOINT publishing_trgm")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("RELEASE SAVEPOINT publishing_trgm")
            except Exception:  # noqa: BLE001 -- no rights to create it: search scans instead
                cursor.execute("ROLLBACK TO SAVEPOINT publishing_trgm")
                return
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON publishing_publication USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("publishing", "0003_external_posts_and_wechat_credentials")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
