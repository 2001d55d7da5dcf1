"""Which outreach works: the contact funnel per notice, returned letters, letter variants and their statistics.

The funnel is derived from what is already recorded (letters' print days, booking events, attempts, the
tenancy outcome); only what nothing else records is stored here: a letter that came back, and which letter
variant a notice was given.
"""
