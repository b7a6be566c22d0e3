"""The civility app's forms, one module per part (standards, problems, tickets, open311)."""
