"""The bottom layer: what kinds of documents there are, their fields, models and files."""
