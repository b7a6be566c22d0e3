"""The publishing app's services, one module per part (outlets, review, proofreading, external)."""
