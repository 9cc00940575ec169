"""API tokens moved from DRF's authtoken (the token in clear in `authtoken_token`) to
django-rest-knox (a digest in `knox_authtoken`). The old table is dropped: its tokens no longer
authenticate, and a copy of working credentials should not sit in every backup. Holders sign in
again with POST /api/v1/auth/token/."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
