"""Results from stored answers: rates, scores, comparisons, suppression, comments."""
