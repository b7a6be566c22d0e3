"""The civility app's queries, one module per part (standards, problems, tickets, open311)."""
