"""Plain helpers with no Django models: environment parsing, and later the working-day calendar."""
