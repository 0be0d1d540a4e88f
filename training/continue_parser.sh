#!/usr/bin/env bash
# The parser's second stage: re-tag the treebank with our POS model, then continue training a
# parser on those predicted tags (all it ever sees at run time) with stanza's second optimizer.
# Usage: training/continue_parser.sh WORK_DIR POS_MODEL PARSER_MODEL [extra stanza args...]
#   WORK_DIR holds ud/ and pretrain/ (see training/README.md); the re-tagged data and the new
#   parser go to WORK_DIR/predicted, where training/assemble.py takes the parser from.
set -euo pipefail
WORK=$(realpath "$1"); POS=$(realpath "$2"); PARSER=$(realpath "$3"); shift 3
HERE=$(dirname "$(realpath "$0")")
PRED=$WORK/predicted
mkdir -p "$PRED/data"; ln -sfn "$WORK/ud" "$PRED/ud"; ln -sfn "$WORK/pretrain" "$PRED/pretrain"
(cd "$PRED" && UDBASE=$WORK/ud DATA_ROOT=$PRED/data python -m stanza.utils.datasets.prepare_depparse_treebank \
   UD_English-Quotes --predicted --no_charlm --tagger_model "$POS" --wordvec_pretrain_file "$WORK/pretrain/en_quotes.pt")
QUOTES_KEEP_VOCAB=$PARSER "$HERE/train.sh" "$PRED" depparse --continue_from "$PARSER" \
  --second_optim_start_step 100 --max_steps 3000 --max_steps_before_stop 800 "$@"
