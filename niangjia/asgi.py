from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
application = get_asgi_application()

# a FIELD_ENCRYPTION_KEY that cannot read this database stops the start (#11 §4)
from niangjia.core.security import verify_field_encryption_key  # noqa: E402

verify_field_encryption_key()
