"""The civility app's views, one module per part (standards, problems, tickets, open311)."""
