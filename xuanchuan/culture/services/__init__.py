"""The culture app's services, one module per part (events, venues, contests, works, tourism)."""
