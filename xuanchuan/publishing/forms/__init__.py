"""The publishing app's forms, one module per part (outlets, review, proofreading, external)."""
