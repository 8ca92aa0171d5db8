"""One module per headless subcommand: HELP, add_arguments(parser), run(args) -> exit code."""
