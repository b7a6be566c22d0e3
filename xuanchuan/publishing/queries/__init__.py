"""The publishing app's queries, one module per part (outlets, review, proofreading, external)."""
