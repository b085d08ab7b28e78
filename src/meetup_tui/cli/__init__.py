"""The command line: `meetup-tui` opens the app; subcommands serve the shell without Textual."""
