"""meetup-tui: connections over likes."""

__version__ = "0.1.0"
