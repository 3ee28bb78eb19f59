"""Standing queries (alert rules), spike detection and notifications: what fires, why, and who is told.

``evaluate_spikes(store, now)`` (the monitor's timer), ``AlertEvaluator`` (the pipeline's alert stage) and
``backtest(store, since, until)``; rules and fired alerts live with the data (``open_alert_state``).
``docs/alerts.md`` describes the rules, the statistics and the guarantees.
"""
