"""What the scheduler does to notices: the pass (`run`) that links, triages and contacts, the contact step
(`delivery`: booking and letter), follow-up and escalation, the caseworker e-mail, retention, and the jobs and the
scheduler process that run them. Imports `outreach.notices` and `outreach.letters`, never casework or the API."""
