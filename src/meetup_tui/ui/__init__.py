"""The Textual app: the main screen, its panes and its dialogs."""
