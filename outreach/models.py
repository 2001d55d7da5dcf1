"""Every outreach model module, imported in one place so the metadata is whole."""

from outreach.funnel import models as funnel_models
from outreach.notices import models as notice_models

__all__: list[str] = ["funnel_models", "notice_models"]
