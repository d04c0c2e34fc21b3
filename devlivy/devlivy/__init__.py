"""devlivy: a Livy-compatible development server whose sessions are real Spark drivers."""

__version__ = "0.1.0"
