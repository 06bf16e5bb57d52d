"""The error a simulation raises instead of returning a silent number."""


class DivergenceError(RuntimeError):
    """A simulation produced non-finite values or an error beyond its stated bound."""
