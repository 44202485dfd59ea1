"""Debug output (``--debug``): one logger, switched on once by the error handler.

Deep modules (the HTTP layer, the validator, the sync workers) write their
``[debug]`` lines and tracebacks to this logger and never look at the environment;
:func:`configure` sends them to the command's stderr when :attr:`Settings.debug`
is on. ``logging`` is imported only when something is logged or debug is on, so
``octavus validate`` does not pay for it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import logging

LOGGER_NAME = "octavus_cli"
_HANDLER_NAME = "octavus-debug"


def debug_logger() -> logging.Logger:
    import logging

    return logging.getLogger(LOGGER_NAME)


def debug_on() -> bool:
    """Whether ``--debug`` (or ``OCTAVUS_DEBUG``) is on for this command."""
    if "logging" not in sys.modules:  # configure() imports it when debug is on
        return False
    return any(h.get_name() == _HANDLER_NAME for h in debug_logger().handlers)


def debug_traceback(what: str) -> None:
    """With debug on, ``what`` and the traceback of the exception being handled."""
    if debug_on():
        debug_logger().debug(what, exc_info=True)


def configure(enabled: bool, stream: TextIO) -> None:
    """Debug lines to ``stream`` when ``enabled``; otherwise none (a previous run's undone)."""
    if not enabled and "logging" not in sys.modules:
        return
    import logging

    logger = debug_logger()
    for handler in [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]:
        logger.removeHandler(handler)
    logger.propagate = False
    if not enabled:
        logger.setLevel(logging.WARNING)
        return
    handler = logging.StreamHandler(stream)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter("[debug] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
