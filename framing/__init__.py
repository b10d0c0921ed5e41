"""framing: audit how inspection reports attribute evidence to its sources."""
__version__ = "0.1.0"
