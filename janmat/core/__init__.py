"""The floor every other part stands on: the Mention record, settings, errors, canonical URLs, user-facing words,
logging and input rows. Nothing here imports from the rest of Janmat."""
