"""Draw a `Reading` and a small HUD onto a copy of the frame.

Style lives in `Overlay.__init__`; `annotate(image, reading, hud=...)` is the one drawing call.
The input image is never modified.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam.stats import Hud
from digitcam.types import Glyph, Reading

BGR = tuple[int, int, int]


@dataclass(frozen=True)
class ConfidenceColors:
    """Box colours by confidence (BGR): `high` at or above `high_at`, `mid` at or above
    `mid_at`, `low` below."""

    high: BGR = (60, 200, 60)
    mid: BGR = (0, 190, 255)
    low: BGR = (40, 40, 230)
    high_at: float = 0.8
    mid_at: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 <= self.mid_at <= self.high_at <= 1.0:
            raise ValueError(
                f"expected 0 <= mid_at <= high_at <= 1, got mid_at={self.mid_at}, "
                f"high_at={self.high_at}"
            )

    def for_confidence(self, confidence: float) -> BGR:
        if confidence >= self.high_at:
            return self.high
        if confidence >= self.mid_at:
            return self.mid
        return self.low


class Overlay:
    """Draws glyph boxes coloured by confidence, each character above its box, each line's
    text in a panel at the bottom left, and a HUD (FPS, latency, drops) at the top left.

    Args:
        colors: box colours by confidence.
        thickness: box line width in pixels.
        text_color: colour of the panel and HUD text (BGR).
        panel_color: background of the panel and HUD (BGR).
        show_hud: draw the HUD when one is given.
        show_lines: draw the line-text panel.
        show_confidence: write each glyph's confidence under its box.
    """

    def __init__(
        self,
        *,
        colors: ConfidenceColors = ConfidenceColors(),
        thickness: int = 2,
        text_color: BGR = (255, 255, 255),
        panel_color: BGR = (32, 32, 32),
        show_hud: bool = True,
        show_lines: bool = True,
        show_confidence: bool = False,
    ) -> None:
        if thickness < 1:
            raise ValueError(f"thickness must be >= 1, got {thickness}")
        self.colors = colors
        self.thickness = thickness
        self.text_color = text_color
        self.panel_color = panel_color
        self.show_hud = show_hud
        self.show_lines = show_lines
        self.show_confidence = show_confidence
        self._font = cv2.FONT_HERSHEY_SIMPLEX

    def annotate(
        self,
        image: NDArray[np.uint8],
        reading: Reading,
        *,
        hud: Hud | None = None,
        stable: str | None = None,
    ) -> NDArray[np.uint8]:
        """The frame with the reading drawn on it.

        Args:
            image: HxWx3 BGR uint8 or HxW gray uint8; not modified.
            reading: what to draw (boxes are in `image` pixel coordinates).
            hud: FPS / latency numbers for the corner, or None for no HUD.
            stable: the fused, stable reading (shown as a last panel line), or None.

        Returns:
            A new HxWx3 BGR uint8 image.
        """
        if image.ndim == 2:
            canvas = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        elif image.ndim == 3 and image.shape[2] == 3:
            canvas = image.copy()
        else:
            raise ValueError(f"expected an HxWx3 BGR or HxW gray image, got shape {image.shape}")
        for glyph in reading.all_glyphs:
            self._draw_glyph(canvas, glyph)
        panel = [f"{i + 1}: {t}" for i, t in enumerate(reading.lines)] if self.show_lines else []
        if stable is not None:
            panel.append("stable: " + stable.replace("\n", " / "))
        if panel:
            self._draw_panel(canvas, panel, top=False)
        if self.show_hud and hud is not None:
            hud_text = f"{hud.fps:5.1f} fps  {hud.latency_ms:6.1f} ms"
            if hud.dropped:
                hud_text += f"  drop {hud.dropped}"
            self._draw_panel(canvas, [hud_text], top=True)
        return canvas

    def _draw_glyph(self, canvas: NDArray[np.uint8], glyph: Glyph) -> None:
        b = glyph.box
        color = self.colors.for_confidence(glyph.confidence)
        cv2.rectangle(canvas, (b.x, b.y), (b.x2 - 1, b.y2 - 1), color, self.thickness)
        scale = float(np.clip(b.h / 60.0, 0.4, 1.5))
        (tw, th), _ = cv2.getTextSize(glyph.char, self._font, scale, self.thickness)
        x = int(b.x + (b.w - tw) / 2)
        y = b.y - self.thickness - 2
        if y - th < 0:  # no room above: draw inside the top of the box
            y = b.y + th + self.thickness + 2
        cv2.putText(
            canvas, glyph.char, (x, y), self._font, scale, color, self.thickness, cv2.LINE_AA
        )
        if self.show_confidence:
            small = max(0.3, scale * 0.5)
            conf = f"{glyph.confidence:.2f}"
            (cw, ch), _ = cv2.getTextSize(conf, self._font, small, 1)
            cy = b.y2 + ch + 3
            if cy > canvas.shape[0]:
                cy = b.y2 - 3
            cx = int(b.x + (b.w - cw) / 2)
            cv2.putText(canvas, conf, (cx, cy), self._font, small, color, 1, cv2.LINE_AA)

    def _draw_panel(self, canvas: NDArray[np.uint8], lines: list[str], *, top: bool) -> None:
        h, w = canvas.shape[:2]
        scale = float(np.clip(h / 800.0, 0.4, 1.0))
        thick = 1
        sizes = [cv2.getTextSize(t, self._font, scale, thick) for t in lines]
        line_h = max(s[0][1] + s[1] for s in sizes) + 6
        box_w = min(w, max(s[0][0] for s in sizes) + 12)
        box_h = min(h, line_h * len(lines) + 6)
        y0 = 0 if top else h - box_h
        cv2.rectangle(canvas, (0, y0), (box_w - 1, y0 + box_h - 1), self.panel_color, cv2.FILLED)
        for i, text in enumerate(lines):
            baseline_y = y0 + 3 + line_h * (i + 1) - sizes[i][1] - 3
            cv2.putText(
                canvas,
                text,
                (6, baseline_y),
                self._font,
                scale,
                self.text_color,
                thick,
                cv2.LINE_AA,
            )
