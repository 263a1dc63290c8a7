"""The application: public API, batch, check, CLI (and the HTTP service).  The only layer that calls
the others together."""
