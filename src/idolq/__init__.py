"""idolq: a command-line task queue for teams of agents that hand work to each other."""

__version__ = "0.1.0"
