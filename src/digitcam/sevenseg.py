"""Seven-segment displays: segments assembled into digits and decoded segment by segment.

Work in progress (issue: meters and displays). `read_segment_displays` is the pipeline's
hook: it returns candidate lines in the same form as `pipeline.assemble`, and the pipeline
picks between them and the printed-digit lines by score.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from digitcam.config import ReaderConfig
from digitcam.types import Box, Glyph


def read_segment_displays(
    gray: NDArray[np.uint8], config: ReaderConfig
) -> list[tuple[Box, tuple[Glyph, ...], float]]:
    """Candidate seven-segment lines in a gray frame: (bbox, glyphs, score) each.

    Args:
        gray: HxW uint8, denoised.
        config: reader options.

    Returns:
        Candidate lines (none yet: segment decoding is not built).
    """
    del gray, config
    return []
