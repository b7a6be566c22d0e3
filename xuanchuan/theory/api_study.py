"""The theory app's JSON API, study part: central study groups, members, plans, sessions, attendance by
the changing code, leave and make-up, speeches, a member's own record."""

from ninja import Router

router = Router()
