"""Score the real pipeline against annotated quotes: ``python bench/eval_quotes.py GOLD.jsonl [--limit N]``.

All scoring lives in ``quotes.evaluate``; this script only runs it with the shipped models.
"""

import sys

from quotes.evaluate import main

if __name__ == "__main__":
    sys.exit(main())
