"""A SYNTHETIC news-propagation corpus built from real sentences, with ground truth (see generate.py)."""
