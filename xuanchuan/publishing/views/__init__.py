"""The publishing app's views, one module per part (outlets, review, proofreading, external)."""
