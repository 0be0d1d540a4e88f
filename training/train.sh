#!/usr/bin/env bash
# Train one stanza model for the shipped English pipeline (run from anywhere).
# Usage: training/train.sh WORK_DIR MODEL [extra stanza args...]
#   MODEL is one of tokenize mwt lemma pos depparse ner.
# WORK_DIR must hold what training/prepare_data.py and the stanza prepare_* scripts wrote
# (see training/README.md). Re-run, the parser resumes from its checkpoint (--force: stanza's
# run_depparse would otherwise skip a run whose best model file already exists); stanza 1.15's
# other trainers keep no checkpoint: run_* skips a model that exists, NER starts over.
set -euo pipefail
WORK=$(realpath "$1"); MODEL=$2; shift 2
HERE=$(dirname "$(realpath "$0")")
export UDBASE=$WORK/ud DATA_ROOT=$WORK/data OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
# Keep freed tensor memory in the heap: without this, glibc returns big blocks to the OS and
# every step page-faults them back in (30% of POS training time went to the kernel).
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-33554432} MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-17179869184}
PRETRAIN=$WORK/pretrain/en_quotes.pt
OUT=$WORK/models/$MODEL
mkdir -p "$OUT"
cd "$WORK"
case $MODEL in
  tokenize) python "$HERE/run_stanza.py" stanza.utils.training.run_tokenizer UD_English-Quotes --no_charlm \
              --save_dir "$OUT" --steps 15000 --eval_steps 500 "$@" ;;
  mwt)      python -m stanza.utils.training.run_mwt UD_English-Quotes \
              --save_dir "$OUT" "$@" ;;
  lemma)    python -m stanza.utils.training.run_lemma UD_English-Quotes --no_charlm \
              --save_dir "$OUT" --num_epoch 3 --batch_size 200 "$@" ;;
  pos)      python "$HERE/run_stanza.py" stanza.utils.training.run_pos UD_English-Quotes --no_charlm \
              --wordvec_pretrain_file "$PRETRAIN" --save_dir "$OUT" \
              --char_hidden_dim 100 --hidden_dim 150 --deep_biaff_hidden_dim 200 \
              --composite_deep_biaff_hidden_dim 100 --batch_maximum_tokens 5000 \
              --max_steps 1200 --eval_interval 100 --log_step 10 "$@" ;;
  depparse) python "$HERE/run_stanza.py" stanza.utils.training.run_depparse UD_English-Quotes --no_charlm --force \
              --wordvec_pretrain_file "$PRETRAIN" --save_dir "$OUT" \
              --char_hidden_dim 100 --hidden_dim 200 --deep_biaff_hidden_dim 200 \
              --num_layers 2 --deep_biaff_output_dim 100 --batch_size 2000 \
              --max_steps 4000 --eval_interval 100 --log_step 10 "$@" ;;
  ner)      python -m stanza.models.ner_tagger --mode train --shorthand en_quotes \
              --train_file "$WORK/ner/en_quotes.train.json" --eval_file "$WORK/ner/en_quotes.dev.json" \
              --wordvec_pretrain_file "$PRETRAIN" --save_dir "$OUT" --save_name en_quotes_ner.pt \
              --charlm_forward_file "" --charlm_backward_file "" --word_emb_dim 50 \
              --max_steps 10000 --eval_interval 500 --patience 2 --lr_decay 0.5 \
              --max_steps_no_improve 2500 "$@" ;;
  *) echo "unknown model: $MODEL" >&2; exit 2 ;;
esac
