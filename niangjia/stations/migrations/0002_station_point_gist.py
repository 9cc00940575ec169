"""A spatial index for the nearby search on PostgreSQL: a GiST index on point(lng, lat) of the open
stations answers the search box as a 2-D range (the (lat, lng) B-tree only narrows latitude and
then walks the whole band across the country). SQLite keeps the B-tree; the SQL differs by vendor
in niangjia.stations.selectors."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS station_open_point_gist ON stations_station"
    " USING gist (point(lng, lat)) WHERE status = 'open'"
)
DROP = "DROP INDEX IF EXISTS station_open_point_gist"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
