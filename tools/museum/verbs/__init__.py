"""One module per `museum` verb: `add_arguments(parser)` and `run(site, args) -> int`."""
