"""What outreach reports about itself: the statistics section and its part of a person's subject-access export."""
