"""English stopwords and survey filler words (NLTK's corpus cannot be downloaded)."""

from __future__ import annotations

from typing import Final

STOPWORDS: Final = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be
    because been before being below between both but by can can't cannot could
    couldn't did didn't do does doesn't doing don't down during each few for from
    further had hadn't has hasn't have haven't having he he'd he'll he's her here
    here's hers herself him himself his how how's i i'd i'll i'm i've if in into is
    isn't it it's its itself let's me more most mustn't my myself no nor not of off
    on once only or other ought our ours ourselves out over own same shan't she
    she'd she'll she's should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're
    they've this those through to too under until up very was wasn't we we'd we'll
    we're we've were weren't what what's when when's where where's which while who
    who's whom why why's will with won't would wouldn't you you'd you'll you're
    you've your yours yourself yourselves
    im ive dont cant wont didnt doesnt isnt wasnt arent couldnt wouldnt shouldnt
    """.split()
)

# Words common in survey answers that carry no topic of their own.
FILLER_WORDS: Final = frozenset(
    """
    just really get got getting think feel felt feeling lot lots thing things much
    many well also even still always never sometimes often quite bit able make made
    making know like way ways time times day days year years week weeks month
    months one two three first last new old good great bad better best worse worst
    nice lovely excellent poor fine ok okay yes yeah please thank thanks thankyou
    would could should may might must need needs needed want wanted go going goes
    went come came say said see seen look take took put give given use used every
    everything everyone anything anyone something someone nothing nobody none
    overall currently usually actually especially particularly definitely etc e.g
    i.e n/a na people person part kind sort whole enough another other others us
    now keep kept told tell let via per ever yet since however although though
    unless whether within without upon instead already around across
    """.split()
)
