"""The intake queue: every new thing for the reception (e-applications, outreach hand-offs, phone and walk-in)."""
