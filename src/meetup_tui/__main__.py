from meetup_tui.cli.main import run

run()
