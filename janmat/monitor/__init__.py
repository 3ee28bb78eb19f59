"""``janmat monitor``: the long-running service that crawls, collects, stores and alerts on schedules."""
