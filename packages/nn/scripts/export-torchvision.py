"""Export ONNX models with their PyTorch reference output, for the float executor's tests.

Why: the float executor must agree with PyTorch on real architectures. The full torchvision
networks (random initialisation; pretrained weights cannot be downloaded) go to exports/
(gitignored, tens of MB); a small CNN with the same operator set goes to fixtures/ (committed).

Run with Debian's python3-torch / python3-torchvision / python3-onnx:
  /usr/bin/python3 packages/nn/scripts/export-torchvision.py [--small-only]
Each model NAME produces NAME.onnx, NAME.input.bin and NAME.output.bin (little-endian float32)
and NAME.json ({"input": shape, "output": shape}).
"""

import json
import os
import sys

import torch
import torch.nn as nn
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = 13


class TinyFire(nn.Module):
    """SqueezeNet/ResNet/DenseNet operators in a few kB: conv, batch norm (one folded into
    its conv by the exporter, one after a concat that stays), relu, max/avg pool (ceil mode),
    concat (fire), add (residual), global average pool, flatten, gemm."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.squeeze = nn.Conv2d(8, 4, 1)
        self.expand1 = nn.Conv2d(4, 4, 1)
        self.expand3 = nn.Conv2d(4, 4, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(8)
        self.res = nn.Conv2d(8, 8, 3, padding=1)
        self.avg = nn.AvgPool2d(2, stride=2)
        self.ceilpool = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn(self.stem(x))))
        s = torch.relu(self.squeeze(x))
        x = self.bn2(torch.cat([torch.relu(self.expand1(s)), torch.relu(self.expand3(s))], 1))
        x = torch.relu(x + self.res(x))
        x = self.ceilpool(self.avg(x))
        x = nn.functional.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


def randomise_batchnorm(model, gen):
    # Fresh BatchNorm has mean 0 / var 1, which would leave the normalisation untested.
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
            m.bias.data.copy_(torch.randn(m.num_features, generator=gen) * 0.1)


def export(name, model, shape, outdir, seed):
    gen = torch.Generator().manual_seed(seed)
    model.eval()
    randomise_batchnorm(model, gen)
    x = torch.randn(*shape, generator=gen)
    with torch.no_grad():
        y = model(x)
    os.makedirs(outdir, exist_ok=True)
    base = os.path.join(outdir, name)
    torch.onnx.export(model, x, base + ".onnx", opset_version=OPSET,
                      input_names=["input"], output_names=["output"])
    x.numpy().astype("<f4").tofile(base + ".input.bin")
    y.numpy().astype("<f4").tofile(base + ".output.bin")
    with open(base + ".json", "w") as f:
        # Spaced as biome formats it, so a regenerated fixture passes `biome ci`.
        f.write("{ " + json.dumps({"input": list(x.shape), "output": list(y.shape)})[1:-1] + " }\n")
    print(name, os.path.getsize(base + ".onnx"), "bytes")


def main():
    torch.manual_seed(0)
    export("tiny-fire", TinyFire(), (1, 3, 32, 32), os.path.join(HERE, "..", "fixtures"), 1)
    if "--small-only" in sys.argv:
        return
    outdir = os.path.join(HERE, "..", "exports")
    export("squeezenet1_1", torchvision.models.squeezenet1_1(), (1, 3, 224, 224), outdir, 2)
    export("resnet50", torchvision.models.resnet50(), (1, 3, 224, 224), outdir, 3)
    export("densenet121", torchvision.models.densenet121(), (1, 3, 224, 224), outdir, 4)


if __name__ == "__main__":
    main()
