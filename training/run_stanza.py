"""Run a stanza training module with the project's training patches.

A faster BiaffineScorer (same parameters, same results): stanza's POS tagger conditions XPOS
and features on UPOS through ``nn.Bilinear``, whose CPU backward (``_trilinear``) is extremely
slow: most of a training step went there. This computes the same bilinear form with one matrix
multiplication, keeping the parameter names, so the saved models load unchanged in stock stanza.

Usage: python training/run_stanza.py MODULE [args...]

The tokenizer trainer's ``--load_name`` (go on training from a saved model) works: stanza 1.15
calls ``Trainer.load`` with too few arguments and leaves the optimizer on the replaced model.

With QUOTES_WARM_START=MODEL.pt, a new POS trainer starts from that saved model's weights
(stanza's tagger has no --continue_from): training resumes from the shipped model after the
checkpoints are gone. The vocabulary must be the one the saved model was trained with.

With QUOTES_KEEP_VOCAB=MODEL.pt, the parser reads its training data with that saved model's
vocabulary. stanza builds the vocabulary from the training file, ordered by frequency, so
``--continue_from`` on the same sentences with other tags (re-tagged by our POS model instead
of gold) would otherwise feed the loaded model indices it never learned, or out of range.
"""

import os
import runpy
import sys

import torch
from stanza.models.common import biaffine


def ones(x):
    """A column of ones shaped like ``x`` without its last dimension: the bias input."""
    return x.new_ones(*x.shape[:-1], 1)


def fast_forward(self, input1, input2):
    input1 = torch.cat([input1, ones(input1)], dim=-1)
    input2 = torch.cat([input2, ones(input2)], dim=-1)
    weight = self.W_bilin.weight  # (out, in1, in2)
    out, in1, in2 = weight.shape
    projected = (input1.reshape(-1, in1) @ weight.permute(1, 0, 2).reshape(in1, out * in2))
    scores = (projected.view(-1, out, in2) * input2.reshape(-1, 1, in2)).sum(-1)
    return (scores + self.W_bilin.bias).view(*input1.shape[:-1], out)


biaffine.BiaffineScorer.forward = fast_forward


def warm_start(trainer_class: type, start_file: str) -> type:
    """A subclass of the POS ``Trainer`` whose new models start from ``start_file``'s weights."""
    class WarmTrainer(trainer_class):
        def __init__(self, *args, model_file=None, **kwargs):
            super().__init__(*args, model_file=model_file, **kwargs)
            if model_file is None:  # a new model, not a reload of the best one
                saved = torch.load(start_file, map_location="cpu", weights_only=False)
                if saved["vocab"] != self.vocab.state_dict():
                    sys.exit(f"{start_file}: its vocabulary differs from this training data's")
                self.model.load_state_dict(saved["model"], strict=False)
                print(f"warm start from {start_file}", file=sys.stderr)
    return WarmTrainer


def keep_vocab(loader_class: type, model_file: str) -> type:
    """A parser ``DataLoader`` that reads new data with ``model_file``'s vocabulary."""
    from stanza.models.pos.vocab import MultiVocab

    saved = MultiVocab.load_state_dict(
        torch.load(model_file, map_location="cpu", weights_only=False)["vocab"])

    class SavedVocabLoader(loader_class):
        def __init__(self, doc, batch_size, args, pretrain, vocab=None, **kwargs):
            super().__init__(doc, batch_size, args, pretrain, vocab=saved if vocab is None else vocab, **kwargs)
    return SavedVocabLoader


def tokenizer_resumes() -> None:
    """Make the tokenizer trainer's ``--load_name`` go on training from a saved model. stanza
    1.15 calls ``Trainer.load(name)`` there, but the method wants two more arguments, and it
    replaces the model the optimizer was built for: training would step the discarded model
    and leave the loaded one as it was. So load with neutral arguments and rebuild the
    optimizer (Adam, as stanza builds it) for the loaded model."""
    from stanza.models.common import utils
    from stanza.models.tokenization.trainer import Trainer

    load = Trainer.load

    def load_for_training(self, filename, args=None, foundation_cache=None):
        load(self, filename, args, foundation_cache)
        if hasattr(self, "optimizer"):  # a reload during training, not the first build
            self.optimizer = utils.get_optimizer("adam", self.model, lr=self.args["lr0"], betas=(.9, .9),
                                                 weight_decay=self.args["weight_decay"])

    Trainer.load = load_for_training


if __name__ == "__main__":
    module = sys.argv[1]
    tokenizer_resumes()
    if os.environ.get("QUOTES_WARM_START"):
        from stanza.models import tagger

        tagger.Trainer = warm_start(tagger.Trainer, os.environ["QUOTES_WARM_START"])
    if os.environ.get("QUOTES_KEEP_VOCAB"):
        from stanza.models import parser

        parser.DataLoader = keep_vocab(parser.DataLoader, os.environ["QUOTES_KEEP_VOCAB"])
    sys.argv = [module] + sys.argv[2:]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
