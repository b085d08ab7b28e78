"""The JSON file: where it lives, how it is read, and how every change is written safely."""
