"""The daily brief (``janmat brief``): one day's schemes and tone against the week before, districts with negative
spikes, claims spreading with their rebuttals, notable posts, and charts; HTML, PDF (headless Chromium) or e-mail.

``report`` gathers the numbers, ``charts`` draws them with matplotlib, ``render`` writes HTML (Jinja2) and PDF
(Playwright), ``mail`` sends it through the alert channels' SMTP settings. ``docs/brief.md`` describes it.
"""
