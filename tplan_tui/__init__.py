"""tplan: a clinician and a client build a treatment plan together at one terminal."""

__version__ = "0.1.0"
