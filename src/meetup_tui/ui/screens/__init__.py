"""Modal dialogs: each asks one thing and returns a value with dismiss(); none touches the file."""
