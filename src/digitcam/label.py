"""Labelling: glyphs found in images become labelled dataset samples.

Three ways, one model of the work: `glyph_items` cuts an image into `LabelItem`s in reading
order (the same segmentation and normalization the reader uses, so what is labelled is what
is read), and a label is assigned to each —
    * known text (`assign_text`): characters in reading order, count checked line by line;
    * window (`label_in_window`): each box highlighted on the frame, one key per glyph,
      through an injectable `KeyWindow` seam (`CvKeyWindow` is the OpenCV one);
    * terminal (`label_in_terminal`): each glyph drawn with rich half-block characters and
      its label read as a line from an injectable `read_line`.
The interactive ways call `on_change(items, labels)` after every key so the caller can save
at once: a crash or Ctrl-C keeps what was done.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam.config import ReaderConfig
from digitcam.dataset import Dataset, read_uncertain, to_uint8
from digitcam.errors import DatasetError
from digitcam.features import NORM_SIZE, normalize_glyph
from digitcam.pipeline import minority_is_dark, segment_frame
from digitcam.preprocess import denoise, to_gray
from digitcam.segment import RefinedLine, order_lines
from digitcam.types import NOT_GLYPH, Box, Polarity

#: Keys of the window UI (cv2.waitKey codes, masked to 8 bits).
KEY_ESC = 27
KEY_SPACE = 32
KEYS_BACKSPACE = (8, 127)


@dataclass(frozen=True, eq=False)
class LabelItem:
    """One glyph to label.

    Attributes:
        source: `PATH#x,y,w,h` (or `PATH@FRAME#x,y,w,h` for a video frame): the sample's
            identity, so labelling it again replaces the old label.
        box: the glyph's box in its frame.
        line: index of its text line in reading order.
        image: 20x20 uint8, the normalized glyph (ink bright), what the dataset stores.
        frame: index into the frames list given to the window UI (-1: none).
    """

    source: str
    box: Box
    line: int
    image: NDArray[np.uint8]
    frame: int = -1


def _drop_inner_lines(lines: list[RefinedLine], gray: NDArray[np.uint8]) -> list[RefinedLine]:
    """Lines whose centre lies inside a much taller line are the counters of 0/6/8/9 seen
    as ink of the other polarity, not text: a labeller without a model drops them. So
    are the gaps between a word's strokes, seen as ink of the other polarity in a box
    about the word's: of two lines of opposite polarity whose centres lie in each other's
    box, the one whose ink is the minority of the pixels there (text covers less than
    its paper) is the text."""
    keep = []
    for ln in lines:
        b = ln.bbox
        inside = any(o is not ln and o.bbox.h >= 1.5 * b.h and _holds(o.bbox, b.cx, b.cy)
                     for o in lines)  # fmt: skip
        if not inside and not any(_other_polarity_text(ln, o, gray) for o in lines):
            keep.append(ln)
    return keep


def _holds(box: Box, x: float, y: float) -> bool:
    return box.x <= x <= box.x2 and box.y <= y <= box.y2


def _other_polarity_text(ln: RefinedLine, other: RefinedLine, gray: NDArray[np.uint8]) -> bool:
    """Whether `other`, of the opposite polarity at the same place (each centre inside the
    other's box), is the text there rather than `ln`."""
    a, b = ln.bbox, other.bbox
    if ln.polarity is other.polarity or not (_holds(a, b.cx, b.cy) and _holds(b, a.cx, a.cy)):
        return False
    union = Box.around([a, b])
    dark = minority_is_dark(gray, union, 0.3 * union.h)
    return (other.polarity is Polarity.DARK_ON_LIGHT) == dark


def glyph_items(
    image: NDArray[Any],
    *,
    source: str,
    config: ReaderConfig | None = None,
    frame: int = -1,
) -> list[LabelItem]:
    """The glyphs of an image in reading order, normalized as the reader does.

    Marks ('.' and '-', decided by size) are not items: known text counts glyphs only.

    Args:
        image: HxWx3 BGR or HxW gray.
        source: the image's reference (a path), prefixed to each item's box.
        config: reader options for segmentation.
        frame: stored in each item (for the window UI).

    Returns:
        Items, line by line, left to right.
    """
    cfg = config or ReaderConfig()
    gray = denoise(to_gray(image))
    if min(gray.shape) < cfg.min_glyph_px:
        return []
    lines = _drop_inner_lines(list(segment_frame(gray, cfg).lines), gray)
    order = order_lines([ln.bbox for ln in lines])
    items: list[LabelItem] = []
    for li, k in enumerate(order):
        # a blob offered several ways to cut it is labelled as the segmenter offers it
        # first (whole, or split by its width); a labeller has no classifier to choose
        units = [v for u in lines[k].units for v in (u.alternatives[0] if u.alternatives else (u,))]
        for u in sorted(units, key=lambda u: u.box.cx):
            if u.patch is None:
                continue
            b = u.box
            items.append(
                LabelItem(
                    source=f"{source}#{b.x},{b.y},{b.w},{b.h}",
                    box=b,
                    line=li,
                    image=to_uint8(normalize_glyph(u.patch)),
                    frame=frame,
                )
            )
    return items


def uncertain_items(folder: str | Path) -> tuple[list[LabelItem], list[NDArray[np.uint8]]]:
    """Items (one per saved patch) and their frames (the patch itself, for display) from a
    `--save-uncertain` folder (`dataset.save_uncertain_crop`)."""
    items, frames = [], []
    for i, rec in enumerate(read_uncertain(folder)):
        patch = cv2.imread(rec["path"], cv2.IMREAD_GRAYSCALE)
        if patch is None:
            raise DatasetError(f"cannot read {rec['path']} as an image")
        x, y, w, h = (int(v) for v in rec.get("box", [0, 0, patch.shape[1], patch.shape[0]]))
        items.append(
            LabelItem(
                source=f"{rec['path']}#{x},{y},{w},{h}",
                box=Box(0, 0, patch.shape[1], patch.shape[0]),
                line=i,
                image=to_uint8(normalize_glyph(patch)),
                frame=i,
            )
        )
        frames.append(patch)
    return items, frames


def line_counts(items: Sequence[LabelItem]) -> list[int]:
    """Number of items on each line, in order."""
    counts: list[int] = []
    for it in items:
        while len(counts) <= it.line:
            counts.append(0)
        counts[it.line] += 1
    return counts


def assign_text(items: Sequence[LabelItem], text: str, *, where: str = "the image") -> list[str]:
    """Labels for `items` from known text, in reading order.

    Whitespace inside a line is ignored. With several lines (newline-separated) each line
    must match a text line; a single-line text is spread over all glyphs in order.

    Raises:
        DatasetError: the counts differ; the message says what was found where.
    """
    text_lines = [ln.replace(" ", "").replace("\t", "") for ln in text.strip().splitlines()]
    text_lines = [ln for ln in text_lines if ln]
    found = line_counts(items)
    chars = "".join(text_lines)
    if len(text_lines) > 1:
        if len(text_lines) != len(found):
            raise DatasetError(
                f"{where}: the text has {len(text_lines)} lines but {len(found)} lines of "
                f"glyphs were found (glyphs per line: {found})"
            )
        for i, (t, n) in enumerate(zip(text_lines, found, strict=True)):
            if len(t) != n:
                raise DatasetError(
                    f"{where}: line {i + 1} of the text has {len(t)} characters ({t!r}) but "
                    f"{n} glyphs were found on line {i + 1} (glyphs per line: {found})"
                )
    elif len(chars) != len(items):
        raise DatasetError(
            f"{where}: the text has {len(chars)} characters but {len(items)} glyphs were "
            f"found (glyphs per line: {found})"
        )
    return list(chars)


def items_dataset(items: Sequence[LabelItem], labels: Sequence[str | None]) -> Dataset:
    """A dataset of the labelled items (items whose label is None are left out)."""
    pairs = [(it, lab) for it, lab in zip(items, labels, strict=True) if lab is not None]
    imgs = (
        np.stack([it.image for it, _ in pairs])
        if pairs
        else np.zeros((0, NORM_SIZE, NORM_SIZE), np.uint8)
    )
    return Dataset(
        labels=tuple(lab for _, lab in pairs),  # type: ignore[misc]
        sources=tuple(it.source for it, _ in pairs),
        images=imgs,
        provenance=({"import": "label", "n": len(pairs)},) if pairs else (),
    )


# --------------------------------------------------------------------------- the session


class LabelSession:
    """Where a labelling pass is: the items, the labels so far, the current position.

    Pure: keys in, state out; both interactive UIs drive one.
    """

    def __init__(self, items: Sequence[LabelItem]) -> None:
        self.items = list(items)
        self.labels: list[str | None] = [None] * len(self.items)
        self.pos = 0
        self.quit = False

    @property
    def done(self) -> bool:
        return self.quit or self.pos >= len(self.items)

    def label(self, char: str) -> None:
        """Label the current item and move on."""
        if self.done:
            return
        self.labels[self.pos] = char
        self.pos += 1

    def undo(self) -> None:
        """Step back one item and forget its label."""
        if self.pos > 0:
            self.pos -= 1
            self.labels[self.pos] = None

    def key(self, code: int) -> bool:
        """Apply a window key (cv2.waitKey code). Returns True if the labels changed.

        Printable characters label, space marks "not a glyph", Backspace undoes, Esc quits.
        """
        if code < 0:
            return False
        code &= 0xFF
        if code == KEY_ESC:
            self.quit = True
            return False
        if code in KEYS_BACKSPACE:
            self.undo()
            return True
        if code == KEY_SPACE:
            self.label(NOT_GLYPH)
            return True
        ch = chr(code)
        if ch.isprintable() and not ch.isspace():
            self.label(ch)
            return True
        return False

    def command(self, line: str | None) -> bool:
        """Apply a typed terminal line. Returns True if the labels changed.

        One character labels; a space or `_` marks "not a glyph"; `:u` undoes; an empty
        line skips the glyph; `:q` (or end of input) saves and quits.
        """
        if line is None:
            self.quit = True
            return False
        raw = line.rstrip("\r\n")
        t = raw.strip()
        if t == ":q":
            self.quit = True
            return False
        if t == ":u":
            self.undo()
            return True
        if raw and not t:
            self.label(NOT_GLYPH)
            return True
        if t == "":
            self.pos += 1
            return False
        if len(t) != 1:
            return False
        self.label(t)
        return True


# --------------------------------------------------------------------------- window UI


class KeyWindow(Protocol):
    """What the window UI needs: show a BGR image and wait for one key."""

    def show(self, image: NDArray[np.uint8]) -> None: ...

    def wait_key(self) -> int: ...


class CvKeyWindow:
    """An OpenCV HighGUI window (only opened once entered).

    Args:
        title: window title (tests find the window by it with xdotool).
    """

    def __init__(self, title: str = "digitcam label") -> None:
        self.title = title

    def __enter__(self) -> CvKeyWindow:
        cv2.namedWindow(self.title, cv2.WINDOW_AUTOSIZE)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        cv2.destroyWindow(self.title)
        cv2.waitKey(1)

    def show(self, image: NDArray[np.uint8]) -> None:
        cv2.imshow(self.title, image)

    def wait_key(self) -> int:
        return int(cv2.waitKey(0))


def draw_session(
    frame: NDArray[Any], session: LabelSession, *, max_width: int = 1200
) -> NDArray[np.uint8]:
    """The frame with every box of its items: labelled ones green with their label, the
    current one thick yellow, the rest grey; a help line at the bottom.

    Args:
        frame: HxW gray or HxWx3 BGR of the current item.

    Returns:
        BGR uint8, scaled up or down to a comfortable size.
    """
    img = frame if frame.ndim == 3 else cv2.cvtColor(frame.astype(np.uint8), cv2.COLOR_GRAY2BGR)
    cur = session.items[min(session.pos, len(session.items) - 1)] if session.items else None
    h, w = img.shape[:2]
    s = min(max_width / w, max(1.0, 240 / max(h, 1)))
    out = cv2.resize(
        img,
        (max(1, round(w * s)), max(1, round(h * s))),
        interpolation=cv2.INTER_NEAREST if s > 1 else cv2.INTER_AREA,
    )
    out = np.ascontiguousarray(out)
    for i, it in enumerate(session.items):
        if cur is None or it.frame != cur.frame:
            continue
        b = it.box
        p0 = (round(b.x * s), round(b.y * s))
        p1 = (round(b.x2 * s), round(b.y2 * s))
        lab = session.labels[i]
        if i == session.pos:
            cv2.rectangle(out, p0, p1, (0, 230, 255), 2)
        elif lab is not None:
            cv2.rectangle(out, p0, p1, (60, 200, 60), 1)
            cv2.putText(
                out,
                lab,
                (p0[0], max(10, p0[1] - 2)),
                cv2.FONT_HERSHEY_PLAIN,
                1.0,
                (60, 200, 60),
                1,
                cv2.LINE_AA,
            )
        else:
            cv2.rectangle(out, p0, p1, (140, 140, 140), 1)
    bar = np.zeros((22, out.shape[1], 3), np.uint8)
    cv2.putText(
        bar,
        f"{min(session.pos + 1, len(session.items))}/{len(session.items)}  "
        "key=label  space=not a glyph  backspace=undo  esc=save+quit",
        (4, 15),
        cv2.FONT_HERSHEY_PLAIN,
        0.9,
        (220, 220, 220),
        1,
        cv2.LINE_AA,
    )
    return np.vstack([out, bar])


def label_in_window(
    items: Sequence[LabelItem],
    frames: Sequence[NDArray[Any]],
    window: KeyWindow,
    *,
    on_change: Callable[[Sequence[LabelItem], list[str | None]], None] | None = None,
) -> list[str | None]:
    """Label items by key presses in a window; returns one label (or None) per item."""
    session = LabelSession(items)
    while not session.done:
        frame = frames[session.items[session.pos].frame]
        window.show(draw_session(frame, session))
        if session.key(window.wait_key()) and on_change:
            on_change(session.items, session.labels)
    return session.labels


# --------------------------------------------------------------------------- terminal UI


def half_blocks(
    gray: NDArray[Any], *, box: Box | None = None, max_cols: int = 60, max_rows: int = 14
) -> Any:
    """A gray image as rich `Text` of '▀' cells (two pixels per character).

    Args:
        gray: HxW uint8.
        box: outlined in yellow if given (frame coordinates of `gray`).

    Returns:
        rich.text.Text.
    """
    from rich.text import Text

    g = np.asarray(gray, np.uint8)
    h, w = g.shape
    s = min(max_cols / w, 2 * max_rows / h, 4.0)
    nw, nh = max(1, round(w * s)), max(2, round(h * s / 2) * 2)
    small = cv2.resize(g, (nw, nh), interpolation=cv2.INTER_AREA)
    rgb = np.repeat(small[:, :, None], 3, axis=2).astype(np.int32)
    if box is not None:
        x0, y0 = int(box.x * s), int(box.y * s)
        x1, y1 = min(nw - 1, int(box.x2 * s)), min(nh - 1, int(box.y2 * s))
        yellow = np.array([255, 200, 0])
        rgb[y0 : y1 + 1, [x0, x1]] = yellow
        rgb[[y0, y1], x0 : x1 + 1] = yellow
    text = Text()
    for r in range(0, nh, 2):
        for c in range(nw):
            top, bot = rgb[r, c], rgb[r + 1, c]
            text.append(
                "▀", style=f"rgb({top[0]},{top[1]},{top[2]}) on rgb({bot[0]},{bot[1]},{bot[2]})"
            )
        text.append("\n")
    return text


def context_crop(
    frame: NDArray[Any], box: Box, *, margin: float = 1.0
) -> tuple[NDArray[np.uint8], Box]:
    """The box plus `margin` × its height around it, gray; and the box in crop coordinates."""
    g = to_gray(frame)
    m = round(margin * box.h)
    x0, y0 = max(0, box.x - m), max(0, box.y - m // 2)
    x1, y1 = min(g.shape[1], box.x2 + m), min(g.shape[0], box.y2 + m // 2)
    return g[y0:y1, x0:x1], Box(box.x - x0, box.y - y0, box.w, box.h)


def label_in_terminal(
    items: Sequence[LabelItem],
    frames: Sequence[NDArray[Any]],
    *,
    console: Any,
    read_line: Callable[[], str | None],
    on_change: Callable[[Sequence[LabelItem], list[str | None]], None] | None = None,
) -> list[str | None]:
    """Label items in a terminal: each glyph drawn in context, its label typed.

    Args:
        console: a rich Console to draw on.
        read_line: returns the next typed line, or None at end of input.
    """
    session = LabelSession(items)
    console.print(
        "type the character and Enter; space or _ = not a glyph; Enter alone = "
        "skip; :u = undo; :q = save and quit"
    )
    while not session.done:
        it = session.items[session.pos]
        crop, b = context_crop(frames[it.frame], it.box)
        console.print(half_blocks(crop, box=b), end="")
        console.print(
            f"[{session.pos + 1}/{len(session.items)}] {it.source}  label? ",
            end="",
            markup=False,
            highlight=False,
        )
        if session.command(read_line()) and on_change:
            on_change(session.items, session.labels)
    return session.labels
