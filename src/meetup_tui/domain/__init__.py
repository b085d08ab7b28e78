"""Pure domain logic: records, cadence, dates, outreach. Imports neither Textual nor TinyDB."""
