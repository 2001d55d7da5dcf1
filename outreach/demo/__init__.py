"""Generated data: the demo notices for `make run` (`samples`) and outreach's year of history (`history`)."""
