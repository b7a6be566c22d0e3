"""The culture app's queries, one module per part (events, venues, contests, works, tourism)."""
