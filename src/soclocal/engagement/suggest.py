"""Suggested codes for an insight, by text similarity (TF-IDF), for the facilitator to confirm.

Each code is described by its label and by the insights already given that code, so the
suggestions learn from the facilitator's own coding. Runs offline with scikit-learn.
"""

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity


def suggest(text: str, code_texts: dict, limit: int = 3, floor: float = 0.05) -> list:
    """The codes whose description is most like the text, best first: [(code, score)]."""
    if not text.strip() or not code_texts:
        return []
    codes = list(code_texts)
    documents = [code_texts[c] for c in codes] + [text]
    try:
        matrix = TfidfVectorizer(stop_words="english", ngram_range=(1, 2),
                                 sublinear_tf=True).fit_transform(documents)
    except ValueError:  # nothing but stop words
        return []
    scores = cosine_similarity(matrix[-1], matrix[:-1])[0]
    ranked = sorted(zip(codes, scores, strict=True), key=lambda cs: -cs[1])
    return [(c, float(s)) for c, s in ranked[:limit] if s >= floor]
