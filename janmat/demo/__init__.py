"""The bundled sample news site and the `janmat demo` run that crawls it."""
