"""Runtime: the job pool, leases on the records jobs hold, the multi-process server."""
