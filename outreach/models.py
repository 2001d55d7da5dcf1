"""Every outreach model module, imported in one place so the metadata is whole."""

__all__: list[str] = []
