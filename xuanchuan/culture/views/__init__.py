"""The culture app's views, one module per part (events, venues, contests, works, tourism)."""
