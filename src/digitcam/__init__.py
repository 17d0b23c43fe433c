"""digitcam: a real-time camera digit reader (threshold, glyphs, KNN/SVM), made a product."""

__version__ = "0.1.0"
