"""The web service: a JSON API over the store and a small Hindi/English search page."""
