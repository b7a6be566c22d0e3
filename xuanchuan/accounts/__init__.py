"""Signing in and out: passwords, lockout after repeated failures and the second factor."""
