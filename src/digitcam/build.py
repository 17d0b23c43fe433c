"""Build the shipped default model from seeded synthetic scenes.

The classifier is trained on exactly what the reader sees: each synthetic scene goes through
the reader's own detection and refinement, and every glyph unit it produces is labelled by
matching it to the scene's ground-truth boxes. Units that match a digit become that digit;
units that overlap no character at all (clutter, card edges, letters) become the
"not a glyph" class, which is what lets the reader reject clutter instead of guessing.
Units that only partly overlap a character (fragments, merged pairs) are left out.

    digitcam build-model --out models/digits-knn.npz
"""

from __future__ import annotations

import platform
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from digitcam import __version__
from digitcam.classify import Model, extend_knn, train_model
from digitcam.config import ReaderConfig
from digitcam.errors import ModelError
from digitcam.features import FeatureSpec, glyph_features, normalize_glyph
from digitcam.pipeline import glyph_leaves, segment_frame
from digitcam.preprocess import denoise, to_gray
from digitcam.synth import DIGIT_LOOKALIKES
from digitcam.types import DIGITS, NOT_GLYPH, Box

#: The default feature spec of the shipped model (chosen by measurement; see README).
DEFAULT_SPEC = FeatureSpec(kind="hog", cells=4, bins=8)


@dataclass(frozen=True)
class GlyphSet:
    """Normalized glyphs with labels.

    Attributes:
        images: N x 20 x 20 float32 normalized glyphs (ink bright).
        labels: N labels ('0'-'9' or NOT_GLYPH).
    """

    images: NDArray[np.float32]
    labels: tuple[str, ...]

    @classmethod
    def of(cls, images: list[NDArray[np.float32]], labels: list[str]) -> GlyphSet:
        """A set from lists of 20 x 20 glyphs and their labels (either may be empty)."""
        arr = np.stack(images) if images else np.zeros((0, 20, 20), np.float32)
        return cls(arr, tuple(labels))


def match_unit(box: Box, truth: Sequence[tuple[str, Box]], *, cells: bool = False) -> str | None:
    """Label a segmented unit by the ground truth.

    Args:
        box: the unit's box.
        truth: (character, box) of every character in the scene.
        cells: the truth boxes are display cells, not ink (seven-segment scenes).

    Returns:
        The digit it matches; NOT_GLYPH when it overlaps no character; None when it only
        partly overlaps one (a fragment or a merge: no clean label).
    """
    best = None
    for ch, t in truth:
        if not box.intersection(t):
            continue
        centred = (
            t.x <= box.cx <= t.x2
            and t.y <= box.cy <= t.y2
            and box.x <= t.cx <= box.x2
            and box.y <= t.cy <= box.y2
        )
        as_tall = 0.75 <= box.h / max(t.h, 1) <= 1.33
        similar = as_tall and abs(box.w - t.w) <= max(3, 0.25 * max(t.w, t.h))
        if centred and similar and ch in DIGITS:
            return ch
        # A seven-segment 1 lights only its cell's right-hand bars, so its ink is far
        # narrower than the cell box the display scenes give as its truth.
        narrow_one = (
            cells
            and ch == "1"
            and as_tall
            and box.w <= 0.6 * t.w
            and t.x - 2 <= box.x
            and box.x2 <= t.x2 + 2
            and box.y <= t.cy <= box.y2
        )
        if narrow_one:
            return ch
        best = "partial"
    return NOT_GLYPH if best is None else None


def scene_glyphs(
    seeds: Iterable[int],
    *,
    faces: Sequence[object] | None,
    config: ReaderConfig | None = None,
    make_scene: Callable[..., object] | None = None,
    cells: bool = False,
) -> GlyphSet:
    """Segment synthetic scenes with the reader and label the units by ground truth.

    `cells`: the scenes' truth boxes are display cells (see `match_unit`).
    """
    from digitcam import synth

    cfg = config or ReaderConfig()
    maker = make_scene or synth.make_scene
    images: list[NDArray[np.float32]] = []
    labels: list[str] = []
    for seed in seeds:
        scene = maker(seed, faces=faces)
        gray = denoise(to_gray(scene.image))  # type: ignore[attr-defined]
        det = segment_frame(gray, cfg)
        for line in det.lines:
            # Every way of splitting touching glyphs is offered: the right split's pieces
            # match the truth, the wrong ones' do not (and are left out).
            for u in glyph_leaves(line.units):
                lab = match_unit(u.box, scene.boxes, cells=cells)  # type: ignore[attr-defined]
                if lab is None:
                    continue
                images.append(normalize_glyph(u.patch))
                labels.append(lab)
    return GlyphSet.of(images, labels)


def sample_glyphs(seed: int, *, faces: Sequence[object], n_per_class: int) -> GlyphSet:
    """Isolated augmented glyphs from `synth.glyph_samples`, normalized like the reader's."""
    from digitcam import synth
    from digitcam.segment import glyph_patch_from_crop

    patches, labs = synth.glyph_samples(seed, faces=faces, n_per_class=n_per_class)
    images, labels = [], []
    for p, lab in zip(patches, labs, strict=False):
        g = glyph_patch_from_crop(p)
        if g is None:
            continue
        images.append(normalize_glyph(g))
        labels.append(lab)
    return GlyphSet(np.stack(images), tuple(labels))


def balance(data: GlyphSet, *, per_class: int, reject: int, seed: int) -> GlyphSet:
    """At most `per_class` samples of each digit and `reject` of NOT_GLYPH (seeded)."""
    rng = np.random.default_rng(seed)
    labels = np.array(data.labels)
    keep = []
    for c in sorted(set(data.labels)):
        idx = np.flatnonzero(labels == c)
        cap = reject if c == NOT_GLYPH else per_class
        if len(idx) > cap:
            idx = rng.choice(idx, cap, replace=False)
        keep.append(np.sort(idx))
    k = np.concatenate(keep) if keep else np.zeros(0, int)
    return GlyphSet(data.images[k], tuple(str(v) for v in labels[k]))


def merge(*sets: GlyphSet) -> GlyphSet:
    sets = tuple(s for s in sets if len(s.labels))
    if not sets:
        return GlyphSet(np.zeros((0, 20, 20), np.float32), ())
    return GlyphSet(
        np.concatenate([s.images for s in sets]), tuple(lab for s in sets for lab in s.labels)
    )


def display_scene_glyphs(seeds: Iterable[int]) -> GlyphSet:
    """Units the reader's segmentation finds in synthetic seven-segment display scenes."""
    from digitcam import synth7

    def make(seed: int, faces: object = None) -> object:
        return synth7.make_display_scene(seed)

    return scene_glyphs(seeds, faces=None, make_scene=make, cells=True)


#: Letters a word scene's unit may be without being labelled "not a glyph": shaped like a
#: digit in some faces (`synth.DIGIT_LOOKALIKES`), so no shape of theirs may count against
#: one. The T is not among them: its bar and upright stem read as a 7 at full confidence
#: (measured on label words beside numbers), and no 7's stroke stands upright.
WORD_LOOKALIKES = "".join(c for c in DIGIT_LOOKALIKES if c != "T")


def label_word_unit(box: Box, truth: Sequence[tuple[str, Box]]) -> str | None:
    """Label a unit cut from a scene of words (`word_scene_glyphs`).

    Returns:
        NOT_GLYPH for a whole letter that is no digit look-alike; None for anything touching
        a look-alike letter, for a piece of a letter or two letters merged (a stem cut off
        an "m" is a "1"), and for clutter (which the number scenes hold plenty of).
    """
    hit = None
    for ch, t in truth:
        if not box.intersection(t):
            continue
        if ch in WORD_LOOKALIKES or hit is not None:
            return None
        hit = (ch, t)
    if hit is None:
        return None
    t = hit[1]
    centred = t.x <= box.cx <= t.x2 and t.y <= box.cy <= t.y2 and box.x <= t.cx <= box.x2
    similar = 0.75 <= box.h / max(t.h, 1) <= 1.33 and abs(box.w - t.w) <= max(3, 0.25 * t.h)
    return NOT_GLYPH if centred and similar else None


def word_scene_glyphs(seeds: Iterable[int], *, faces: Sequence[object]) -> GlyphSet:
    """Units the reader cuts from camera scenes whose cards bear words, not numbers.

    Labels beside a number ("Total", "kWh") are the clutter the camera scenes hold least
    of: their letters read as digits at full confidence ("TOTAL" as 707.4) where the model
    has seen none. Each scene prints one to three `synth.random_word`s.
    """
    from digitcam import synth

    cfg = ReaderConfig()
    images: list[NDArray[np.float32]] = []
    labels: list[str] = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        words = [synth.random_word(rng) for _ in range(int(rng.integers(1, 4)))]
        scene = synth.make_scene(rng, faces=faces, texts=words)  # type: ignore[arg-type]
        det = segment_frame(denoise(to_gray(scene.image)), cfg)
        for line in det.lines:
            for u in glyph_leaves(line.units):
                lab = label_word_unit(u.box, scene.boxes)
                if lab is not None:
                    images.append(normalize_glyph(u.patch))
                    labels.append(lab)
    return GlyphSet.of(images, labels)


def add_word_rejects(
    model: Model,
    *,
    seed: int = 0,
    n_words: int = 700,
    prototypes: int = 300,
    progress: Callable[[str], None] | None = None,
) -> Model:
    """The model with the letters of word scenes added to its "not a glyph" class.

    Its digits and clutter samples stay as they are (the reader's rules are measured
    against them); `prototypes` k-means centres of the letters the reader cuts from
    `n_words` scenes of words (`word_scene_glyphs`, training faces only) join them.

    Args:
        model: a KNN model with a NOT_GLYPH class (the shipped one).
        seed: seeds the scenes (apart from every other build's) and the k-means.
        n_words: scenes of words to segment.
        prototypes: centres added.
        progress: called with a status line now and then.
    """
    from digitcam import synth

    say = progress or (lambda _msg: None)
    train_faces, _ = synth.split_faces(synth.printed_faces())
    base = seed * 1_000_003 + 5_000_000
    words = word_scene_glyphs(range(base, base + n_words), faces=train_faces)
    say(f"word scenes: {len(words.labels)} letters")
    if not words.labels:
        raise ModelError("the word scenes gave no letters to add")
    provenance = {
        **model.provenance,
        "then": _then(
            model,
            f"digitcam extend-model --seed {seed} --words {n_words} --prototypes {prototypes}",
        ),
        "words": f"{len(words.labels)} letters the reader cut from {n_words} scenes of "
        "words (synth.random_word) in the training faces, as 'not a glyph'",
    }
    return extend_knn(
        model,
        glyph_features(words.images, model.spec),
        NOT_GLYPH,
        prototypes=prototypes,
        seed=seed,
        provenance=provenance,
    )


def _then(model: Model, step: str) -> str:
    """The model's recipe after its build: the steps it went through, then `step`."""
    before = model.provenance.get("then")
    return f"{before} && {step}" if before else step


def hard_digit_glyphs(
    seeds: Iterable[int], *, faces: Sequence[object], model: Model, chunk: int = 250
) -> GlyphSet:
    """Digits the reader cuts from number scenes that `model` misreads or refuses.

    A unit is one whole digit of the scene's truth (`match_unit`); it is kept where the
    model's best class is another one or its confidence is under the model's rejection
    threshold. Scenes are segmented `chunk` at a time (the units of thousands of scenes
    need not be held at once).

    Returns:
        The hard digits (N x 20 x 20), labelled by the truth.
    """
    seeds = list(seeds)
    images: list[NDArray[np.float32]] = []
    labels: list[str] = []
    for i in range(0, len(seeds), chunk):
        units = scene_glyphs(seeds[i : i + chunk], faces=faces)
        keep = [j for j, lab in enumerate(units.labels) if lab != NOT_GLYPH]
        if not keep:
            continue
        truth = [units.labels[j] for j in keep]
        pred = model.predict(glyph_features(units.images[keep], model.spec))
        for j, lab, char, conf in zip(keep, truth, pred.chars, pred.confidences, strict=True):
            if char != lab or conf < model.reject_threshold:
                images.append(units.images[j])
                labels.append(lab)
    return GlyphSet.of(images, labels)


def add_hard_digits(
    model: Model,
    *,
    seed: int = 0,
    n_scenes: int = 4500,
    progress: Callable[[str], None] | None = None,
) -> Model:
    """The model with the digits it misreads in seeded number scenes added to their classes.

    The shipped model's digit samples are k-means centres of the scenes' digits: a
    blurred 1, a bold 8 on a low-resolution sensor or a thin italic 9 are far from every
    centre and nearer the clutter, so the reader leaves them unread (`?`) and often loses
    their line. Each such digit the reader cuts from `n_scenes` scenes of numbers
    (`hard_digit_glyphs`, training faces only, seeds apart from every other build's)
    joins its class as it is (no k-means: they are few and far apart); every other
    sample stays as it is.

    Args:
        model: a KNN model with the digit classes (the shipped one).
        seed: seeds the scenes.
        n_scenes: scenes of numbers to segment (about one hard digit in ten scenes).
        progress: called with a status line now and then.
    """
    from digitcam import synth

    if model.kind != "knn":
        # (checked before minutes of scenes, not after)
        raise ModelError("only a KNN model can take more samples; this one is an SVM")
    say = progress or (lambda _msg: None)
    train_faces, _ = synth.split_faces(synth.printed_faces())
    base = seed * 1_000_003 + 9_000_000
    hard = hard_digit_glyphs(range(base, base + n_scenes), faces=train_faces, model=model)
    counts = dict(sorted(Counter(hard.labels).items()))
    say(f"hard digits: {len(hard.labels)} {counts}")
    if not hard.labels:
        raise ModelError("the number scenes gave no digit the model misreads")
    provenance = {
        **model.provenance,
        "then": _then(model, f"digitcam extend-model --seed {seed} --words 0 --hard {n_scenes}"),
        "hard": f"{len(hard.labels)} digits {counts} the reader cut from {n_scenes} scenes "
        "of numbers (synth.make_scene) in the training faces that the model misread or "
        "refused, added as they are",
    }
    labels = np.array(hard.labels)
    out = model
    for c in sorted(counts):
        x = glyph_features(hard.images[labels == c], model.spec)
        out = extend_knn(out, x, c, prototypes=len(x), seed=seed, provenance=provenance)
    return out


def build_default_model(
    *,
    seed: int = 0,
    n_scenes: int = 900,
    n_isolated: int = 100,
    per_class: int = 1000,
    reject: int = 6000,
    n_display: int = 0,
    display_per_class: int = 1000,
    display_reject: int = 3000,
    classifier: str = "knn",
    spec: FeatureSpec = DEFAULT_SPEC,
    k: int = 3,
    pca: int = 64,
    prototypes: int = 350,
    progress: Callable[[str], None] | None = None,
) -> Model:
    """Train the shipped model on the training font families only (held-out ones stay unseen).

    Args:
        seed: seeds every scene and sample.
        n_scenes: synthetic camera scenes segmented by the reader.
        n_isolated: per-class isolated glyph samples added for font/augmentation variety.
        per_class: cap of samples per digit after balancing.
        reject: cap of NOT_GLYPH samples.
        n_display: synthetic seven-segment display scenes segmented by the reader too: the
            printed classifier competes for display lines, so it must know a segment 6
            from a 5.
        display_per_class, display_reject: caps of the display units, balanced apart from
            the printed ones so the few display digits are not drowned out.
        classifier: "knn" or "svm".
        spec: feature spec.
        k: KNN neighbours.
        pca: principal components kept (0: all); cuts KNN time at no measured loss.
        prototypes: KNN samples per digit as k-means centres (4x that for "not a glyph";
            0: keep every sample); cuts KNN time about 4x at no measured loss.
        progress: called with a status line now and then.
    """
    from digitcam import synth

    say = progress or (lambda _msg: None)
    train_faces, heldout = synth.split_faces(synth.printed_faces())
    say(
        f"{len(train_faces)} training faces; held out: "
        f"{', '.join(sorted({f.family for f in heldout}))}"
    )
    base = seed * 1_000_003
    scenes = scene_glyphs(range(base, base + n_scenes), faces=train_faces)
    say(f"scenes: {len(scenes.labels)} units {dict(sorted(Counter(scenes.labels).items()))}")
    data = scenes
    if n_isolated:
        iso = sample_glyphs(base + 7, faces=train_faces, n_per_class=n_isolated)
        say(f"isolated: {len(iso.labels)} glyphs")
        data = merge(scenes, iso)
    data = balance(data, per_class=per_class, reject=reject, seed=seed)
    if n_display:
        disp = display_scene_glyphs(range(base + 3_000_000, base + 3_000_000 + n_display))
        say(
            f"display scenes: {len(disp.labels)} units {dict(sorted(Counter(disp.labels).items()))}"
        )
        disp = balance(disp, per_class=display_per_class, reject=display_reject, seed=seed + 1)
        data = merge(data, disp)
    say(f"training on {len(data.labels)} glyphs {dict(sorted(Counter(data.labels).items()))}")
    x = glyph_features(data.images, spec)
    provenance = {
        "command": "digitcam build-model "
        f"--seed {seed} --scenes {n_scenes} --isolated {n_isolated} --per-class {per_class} "
        f"--reject {reject} --display {n_display} --display-per-class {display_per_class} "
        f"--display-reject {display_reject} --bins {spec.bins} "
        f"--classifier {classifier} --pca {pca} --k {k} --prototypes {prototypes}",
        "seed": seed,
        "data": "seeded synthetic scenes (digitcam.synth.make_scene) segmented by the reader, "
        "units labelled by ground-truth boxes; plus isolated augmented glyphs"
        + (
            "; plus seven-segment display scenes (digitcam.synth7.make_display_scene) "
            "segmented the same way"
            if n_display
            else ""
        ),
        "train_families": sorted({f.family for f in train_faces}),
        "heldout_families": sorted({f.family for f in heldout}),
        "n_samples": len(data.labels),
        "class_counts": dict(sorted(Counter(data.labels).items())),
        "digitcam": __version__,
        "opencv": cv2.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(terse=True),
    }
    return train_model(
        x,
        list(data.labels),
        spec=spec,
        classifier=classifier,
        classes=(*DIGITS, NOT_GLYPH),
        k=k,
        novelty=True,
        pca=pca,
        prototypes=({"*": prototypes, str(len(DIGITS)): prototypes * 4} if prototypes else None),
        seed=seed,
        reject_threshold=0.5,
        provenance=provenance,
    )
