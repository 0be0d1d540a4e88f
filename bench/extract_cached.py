"""Print ``quotes extract``'s JSON Lines for INPUTS, parsing through the eval parse cache.

``python bench/extract_cached.py INPUTS... (--parse-cache DIR | --cache-folder FOLDER) [--cached-only] [--rules-only]``

Extraction is parsing and then the rules; parsing the 285 PolNeAR dev articles takes about 15
minutes, the rules seconds. This reads each article's stanza analysis from the cache
``bench/eval_quotes.py --parse-cache DIR`` fills (and fills it where missing) and runs the rest
of the pipeline, so a change to the finder or speakers can be checked quote by quote: run it
before and after, and ``diff`` the two outputs (empty when behaviour is unchanged).

``--cache-folder`` names the cache's folder itself instead of the one ``DIR`` keys by today's
models and NLP code: the check of a change that touches the NLP modules (and so their
fingerprint) can still read the analyses made before it. ``--cached-only`` leaves out the
articles the cache does not hold yet instead of parsing them. ``--rules-only`` prints the rules'
quotes before the learned scorer keeps or drops them and sets their confidence
(``pipeline.rule_quotes``): a change to the finder or speakers is then compared on every quote
the rules find, not only on those the scorer keeps.
"""

import argparse
import json
from pathlib import Path

from eval_quotes import cache_folder, cached_parser

from quotes.articles import InputError, read_inputs
from quotes.pipeline import extract_parsed, rule_quotes


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("inputs", nargs="+")
    where = options.add_mutually_exclusive_group(required=True)
    where.add_argument("--parse-cache", type=Path)
    where.add_argument("--cache-folder", type=Path)
    options.add_argument("--cached-only", action="store_true")
    options.add_argument("--rules-only", action="store_true", help="leave out the learned scorer")
    args = options.parse_args()
    folder = args.cache_folder or cache_folder(args.parse_cache)
    # Read as ``quotes extract`` reads (metadata, body bounds); the analysis depends on the text only.
    articles = [item for item in read_inputs(args.inputs) if not isinstance(item, InputError)]
    if args.cached_only:
        articles = [a for a in articles if (folder / f"{a.content_hash}.json").exists()]
    for article, parsed in zip(articles, cached_parser(folder)(articles), strict=True):
        parsed = parsed.model_copy(update={"article": article})
        for quote in rule_quotes(parsed) if args.rules_only else extract_parsed(parsed).quotes:
            print(json.dumps(quote.to_extract_json(), ensure_ascii=False))


if __name__ == "__main__":
    main()
