"""One adapter per platform for putting an approved publication out on an external account."""
