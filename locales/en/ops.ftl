## Running the bot: what operators' settings mean for the people using it.

# $days: DRAFT_RETENTION_DAYS, already written in the reader's digits.
privacy-retention = <b>Unfinished forms:</b> a registration or contribution you start but do not finish is deleted { $days } days after you last worked on it.
