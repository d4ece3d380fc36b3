"""Train the ~117k-parameter 2D U-Net on the Colin27 slices made by prepare.py.

Augmentation is deliberately limited to a left-right flip and an intensity scale of
0.9..1.1: no rotation, zoom or noise, so the example model stays sensitive to them.
`--rotate DEG --name model-rotaug` trains the comparison model of the example: the same
network, seed and schedule, plus a random rotation in [-DEG, DEG] (p = 0.5) of every sample.
Run: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/train-colin27/train.py [--epochs N] [--rotate DEG --name NAME]
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage

import colin27 as c

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, 'build')


def augment(x, y, rng, rotate=0.0):
    """Per-sample left-right flip (p = 0.5) and intensity scale in [0.9, 1.1]; with `rotate`,
    also a rotation by a uniform angle in [-rotate, rotate] degrees (p = 0.5; linear for the
    image, nearest for the labels)."""
    x, y = x.copy(), y.copy()
    for i in range(len(x)):
        if rng.random() < 0.5:
            x[i], y[i] = x[i][:, ::-1], y[i][:, ::-1]
        x[i] *= rng.uniform(0.9, 1.1)
        if rotate and rng.random() < 0.5:
            angle = rng.uniform(-rotate, rotate)
            x[i] = ndimage.rotate(x[i], angle, reshape=False, order=1, mode='constant', cval=0.0)
            y[i] = ndimage.rotate(y[i], angle, reshape=False, order=0, mode='constant', cval=0)
    return x, y


def loss_fn(logits, target):
    """Cross-entropy + soft Dice of the foreground classes (helps the small deep-GM class)."""
    ce = F.cross_entropy(logits, target)
    prob = logits.softmax(1)[:, 1:]
    onehot = F.one_hot(target, 4).permute(0, 3, 1, 2)[:, 1:].float()
    inter = (prob * onehot).sum((0, 2, 3))
    denom = prob.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    return ce + 1.0 - ((2 * inter + 1.0) / (denom + 1.0)).mean()


@torch.no_grad()
def predict_logits(model, x):
    model.eval()
    return torch.cat([model(torch.from_numpy(x[i:i + 8])[:, None]) for i in range(0, len(x), 8)]).numpy()


def evaluate(model, data):
    """Pooled validation Dice on the 128x128 model grid and on the original 1 mm grid.

    For the original grid the logits are resized back (bilinear, half-pixel centres) to
    217x181 and then argmax-ed: the inverse of the input resize, as the engine will do.
    """
    logits = predict_logits(model, data['val_x'])
    model_grid = c.dice_per_class(logits.argmax(1), data['val_y'])
    h, w = data['val_label_orig'].shape[1:]
    back = np.stack([c.resize_linear(l, (h, w)) for l in logits]).argmax(1)
    original_grid = c.dice_per_class(back, data['val_label_orig'])
    return model_grid, original_grid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--epochs', type=int, default=120)
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--lr', type=float, default=3e-3)
    parser.add_argument('--rotate', type=float, default=0.0, help='rotation augmentation range in degrees')
    parser.add_argument('--name', default='model', help='build/<name>.pt and build/train_result_<name>.json')
    args = parser.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(c.SEED)
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(c.SEED)

    data = dict(np.load(os.path.join(BUILD, 'slices.npz')))
    train_x, train_y = data['train_x'], data['train_y'].astype(np.int64)
    model = c.UNet()
    n_params = sum(p.numel() for p in model.parameters())
    print(f'{n_params} parameters, {len(train_x)} training / {len(data["val_x"])} validation slices')
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps_per_epoch = int(np.ceil(len(train_x) / args.batch))
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch, pct_start=0.1)

    history = []
    start = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        order = rng.permutation(len(train_x))
        losses = []
        for s in range(0, len(order), args.batch):
            idx = order[s:s + args.batch]
            x, y = augment(train_x[idx], train_y[idx], rng, args.rotate)
            logits = model(torch.from_numpy(x)[:, None])
            loss = loss_fn(logits, torch.from_numpy(y))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            losses.append(loss.item())
        if epoch % 10 == 0 or epoch == args.epochs:
            dice, _ = evaluate(model, data)
            history.append({'epoch': epoch, 'loss': float(np.mean(losses)), 'val_dice_model_grid': dice})
            print(f'epoch {epoch:3d}  loss {np.mean(losses):.4f}  val Dice {np.round(dice, 3)}  '
                  f'{time.time() - start:.0f} s', flush=True)
    train_seconds = time.time() - start

    dice_model, dice_orig = evaluate(model, data)  # the final model; no selection on validation
    torch.save(model.state_dict(), os.path.join(BUILD, f'{args.name}.pt'))
    result = {
        'seed': c.SEED, 'epochs': args.epochs, 'rotate': args.rotate, 'batch': args.batch, 'max_lr': args.lr,
        'parameters': n_params, 'train_slices': int(len(train_x)), 'val_slices': int(len(data['val_x'])),
        'val_z': data['val_z'].tolist(), 'train_seconds': round(train_seconds, 1),
        'classes': c.CLASS_NAMES[1:],
        'val_dice_model_grid': [round(d, 4) for d in dice_model],
        'val_dice_original_grid': [round(d, 4) for d in dice_orig],
        'history': history,
    }
    result_name = 'train_result.json' if args.name == 'model' else f'train_result_{args.name}.json'
    with open(os.path.join(BUILD, result_name), 'w') as f:
        json.dump(result, f, indent=2)
    print(f'trained in {train_seconds:.0f} s')
    print('validation Dice (cortex, deep GM, cerebellum), 128x128 grid:', np.round(dice_model, 3))
    print('validation Dice (cortex, deep GM, cerebellum), original 1 mm grid:', np.round(dice_orig, 3))


if __name__ == '__main__':
    main()
