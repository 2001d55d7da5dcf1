"""What outreach staff do with a notice: the pages and forms, what they record (`service`), the notice's timeline,
need to know (which notices a caseworker may open) and the staff search. Sits above the pipeline."""
