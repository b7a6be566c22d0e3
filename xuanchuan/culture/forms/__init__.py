"""The culture app's forms, one module per part (events, venues, contests, works, tourism)."""
