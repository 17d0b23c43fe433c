"""Fixtures of the reliability suite (the helpers live in reliability_helpers.py)."""

from reliability_helpers import mjpeg_server, read_only_dir, xserver  # noqa: F401
