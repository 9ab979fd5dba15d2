"""Planted speech for the automatic checks: words with times and speakers, as a transcript stores them."""

STEP = 0.4  # seconds per word


def said(speaker, start, text, step=STEP):
    """Words of one utterance, evenly spaced from `start` seconds."""
    return [{"s": round(start + n * step, 2), "e": round(start + n * step + step * 0.9, 2), "w": word, "sp": speaker}
            for n, word in enumerate(text.split())]


def call(*parts):
    """parts: (speaker, start, text) ... -> the words of a call."""
    words = []
    for speaker, start, text in parts:
        words.extend(said(speaker, start, text))
    return sorted(words, key=lambda w: w["s"])


GOOD_CALL = call(
    ("agent", 0.5, "thank you for calling acme my name is sarah how can I help"),
    ("customer", 5.0, "hi I was charged twice for my kettle order and I am really annoyed"),
    ("agent", 11.0, "I completely understand how frustrating that is I am sorry"),
    ("agent", 16.0, "I will refund the second charge within three working days"),
    ("customer", 21.0, "ok thanks"),
    ("agent", 23.0, "you're welcome is there anything else I can help with today"),
    ("customer", 28.0, "no that's all"),
    ("agent", 30.0, "it's been a pleasure helping you goodbye"),
)
