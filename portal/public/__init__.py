"""Public resident pages: the start page and the language entry point."""
