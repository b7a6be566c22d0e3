"""The engine's tests need no database and no Django: plain functions over strings."""
