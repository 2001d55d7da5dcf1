"""Every outreach model module, imported in one place so the metadata is whole."""

from outreach.notices import models as notice_models

__all__: list[str] = ["notice_models"]
