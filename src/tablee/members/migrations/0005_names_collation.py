"""The collation ``tablee_names`` (tablee.sorting) on PostgreSQL: ICU's French of Canada, where
accents and case come second. SQLite gets it from the connection (tablee.sqlite3)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE COLLATION IF NOT EXISTS tablee_names (provider = icu, locale = 'fr-CA')")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP COLLATION IF EXISTS tablee_names")


class Migration(migrations.Migration):
    dependencies = [("members", "0004_role_label_epicene")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
