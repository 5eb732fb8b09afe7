"""Implementation details: wire codecs, crypto, session engine, I/O loop."""
