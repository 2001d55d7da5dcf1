"""The reception calendar: opening hours, closed days, and bookings that never share a place."""
