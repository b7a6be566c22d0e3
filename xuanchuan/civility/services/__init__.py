"""The civility app's services, one module per part (standards, problems, tickets, open311)."""
