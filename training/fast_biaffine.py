"""Run a stanza training module with a faster BiaffineScorer (same parameters, same results).

stanza's POS tagger conditions XPOS and features on UPOS through ``nn.Bilinear``, whose CPU
backward (``_trilinear``) is extremely slow: most of a training step went there. This computes
the same bilinear form with one matrix multiplication, keeping the parameter names, so the saved
models load unchanged in stock stanza.

Usage: python training/fast_biaffine.py MODULE [args...]
"""

import runpy
import sys

import torch
from stanza.models.common import biaffine


def fast_forward(self, input1, input2):
    ones = lambda x: x.new_ones(*x.shape[:-1], 1)
    input1 = torch.cat([input1, ones(input1)], dim=-1)
    input2 = torch.cat([input2, ones(input2)], dim=-1)
    weight = self.W_bilin.weight  # (out, in1, in2)
    out, in1, in2 = weight.shape
    projected = (input1.reshape(-1, in1) @ weight.permute(1, 0, 2).reshape(in1, out * in2))
    scores = (projected.view(-1, out, in2) * input2.reshape(-1, 1, in2)).sum(-1)
    return (scores + self.W_bilin.bias).view(*input1.shape[:-1], out)


biaffine.BiaffineScorer.forward = fast_forward

if __name__ == "__main__":
    module = sys.argv[1]
    sys.argv = [module] + sys.argv[2:]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
