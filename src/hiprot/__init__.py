"""hiprot: build safe, well-dosed hip internal rotation routines."""

__version__ = "0.1.0"
