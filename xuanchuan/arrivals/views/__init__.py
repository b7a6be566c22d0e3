"""Pages of 来返人员登记: the public self-registration (``public``), the staff's registration
pages (``registrations``), the daily follow-up work (``follow_up``), risk areas and statistics."""
