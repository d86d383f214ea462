"""The two ends a handshake can be played by: OpenSSL (Python's ssl) and Go (our helper)."""
