"""People's own access to Tandem: signing in, and the API tokens they make for scripts."""
