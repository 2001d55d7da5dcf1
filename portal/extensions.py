"""Extensions, created unbound and attached to the app in create_app()."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect

from portal.db import db
from portal.i18n import PortalBabel

babel = PortalBabel()
csrf = CSRFProtect()
# Limits are declared per route; the storage is configured (memory, or Redis for several processes).
limiter = Limiter(key_func=get_remote_address, default_limits=[])

__all__ = ["babel", "csrf", "db", "limiter"]
