"""The command line: thin glue that parses, calls one service and renders."""
