"""Shared definitions for the Colin27 example model: data, preprocessing, network.

Everything the engine must reproduce lives here (slice orientation, resize, normalisation),
so prepare.py, train.py and export.py cannot drift apart.
"""
import numpy as np
import nibabel as nib
import torch
from torch import nn

TEMPLATES = '/usr/share/mricron/templates'
IMAGE_FILE = f'{TEMPLATES}/ch2bet.nii.gz'
ATLAS_FILE = f'{TEMPLATES}/aal.nii.gz'

CLASS_NAMES = ['background', 'cortex', 'deep_gm', 'cerebellum']
MODEL_SIZE = (128, 128)  # (height, width) of the network input
INTENSITY_SCALE = 1.0 / 255.0  # the only normalisation: x * (1/255), no clipping, no centring
SLICE_AXIS = 2  # axial slices of the RAS-stored volume
SEED = 27

# Validation: slices with z % 10 == 5; slices within 2 mm of one (z % 10 in 3, 4, 6, 7) are
# left out of training so that no training slice is an almost-copy of a validation slice.
VAL_REMAINDER = 5
GAP_REMAINDERS = (3, 4, 6, 7)


def load_volumes():
    """Returns (image uint8, label uint8 0..3, affine), both in the file's (x, y, z) order."""
    image_nii = nib.load(IMAGE_FILE)
    atlas_nii = nib.load(ATLAS_FILE)
    image = np.asanyarray(image_nii.dataobj).astype(np.uint8)
    atlas = np.asanyarray(atlas_nii.dataobj).astype(np.int32)
    assert image.shape == atlas.shape == (181, 217, 181)
    assert np.allclose(image_nii.affine, atlas_nii.affine)
    return image, aal_to_classes(atlas, image > 0), image_nii.affine


def aal_to_classes(atlas, brain_mask):
    """AAL 1-90 except 71-78 -> 1 cortex, 71-78 -> 2 deep GM, 91-116 -> 3 cerebellum.

    Atlas voxels outside the brain-extracted image (intensity 0) become background:
    a label on a black pixel cannot be learnt from the image.
    """
    labels = np.zeros(atlas.shape, np.uint8)
    labels[(atlas >= 1) & (atlas <= 90)] = 1
    labels[(atlas >= 71) & (atlas <= 78)] = 2
    labels[(atlas >= 91) & (atlas <= 116)] = 3
    labels[~brain_mask] = 0
    return labels


def axial_slice(volume, z):
    """Slice z as a C-order (ny, nx) = (217, 181) array: row = y (posterior first), column = x.

    Its flat order equals the file's (x fastest), i.e. the engine's 2D Volume [nx, ny] without
    any reorientation. Row 0 is the most posterior row, so the brain appears anterior-down.
    """
    return np.ascontiguousarray(volume[:, :, z].T)


def split_of(z):
    r = z % 10
    if r == VAL_REMAINDER:
        return 'val'
    if r in GAP_REMAINDERS:
        return 'gap'
    return 'train'


def linear_weights(n_in, n_out):
    """(n_out, n_in) matrix of 1D linear interpolation with half-pixel centres.

    src = (i + 0.5) * n_in / n_out - 0.5, clamped to [0, n_in - 1]; no anti-aliasing.
    Identical to torch.nn.functional.interpolate(mode='bilinear', align_corners=False).
    """
    weights = np.zeros((n_out, n_in), np.float64)
    for i in range(n_out):
        src = min(max((i + 0.5) * n_in / n_out - 0.5, 0.0), n_in - 1)
        i0 = int(np.floor(src))
        i1 = min(i0 + 1, n_in - 1)
        frac = src - i0
        weights[i, i0] += 1.0 - frac
        weights[i, i1] += frac
    return weights


def resize_linear(plane, out_hw):
    """Bilinear (separable) resize of a (..., H, W) array to out_hw, half-pixel centres."""
    wy = linear_weights(plane.shape[-2], out_hw[0])
    wx = linear_weights(plane.shape[-1], out_hw[1])
    return wy @ plane.astype(np.float64) @ wx.T


def nearest_indices(n_in, n_out):
    """Nearest neighbour with half-pixel centres: src = floor((i + 0.5) * n_in / n_out)."""
    return np.minimum(np.floor((np.arange(n_out) + 0.5) * n_in / n_out).astype(np.int64), n_in - 1)


def resize_nearest(plane, out_hw):
    iy = nearest_indices(plane.shape[-2], out_hw[0])
    ix = nearest_indices(plane.shape[-1], out_hw[1])
    return plane[..., iy[:, None], ix[None, :]]


def model_input(slice_uint8):
    """The exact network input for one (H, W) uint8 slice: resize to 128x128, then x/255."""
    return (resize_linear(slice_uint8, MODEL_SIZE) * INTENSITY_SCALE).astype(np.float32)


def dice_per_class(pred, truth, n_classes=4):
    """Dice of each foreground class over all given pixels (pooled, not averaged per slice)."""
    scores = []
    for c in range(1, n_classes):
        p, t = pred == c, truth == c
        denom = p.sum() + t.sum()
        scores.append(float(2.0 * (p & t).sum() / denom) if denom else float('nan'))
    return scores


def conv_block(c_in, c_out):
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True),
        nn.Conv2d(c_out, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    """2D U-Net, 3 levels (16, 32, 64 channels), transposed-conv upsampling, ~117k parameters."""

    def __init__(self, in_channels=1, n_classes=4, base=16):
        super().__init__()
        c1, c2, c3 = base, base * 2, base * 4
        self.enc1 = conv_block(in_channels, c1)
        self.enc2 = conv_block(c1, c2)
        self.bottom = conv_block(c2, c3)
        self.pool = nn.MaxPool2d(2)
        self.up2 = nn.ConvTranspose2d(c3, c2, 2, stride=2)
        self.dec2 = conv_block(c2 * 2, c2)
        self.up1 = nn.ConvTranspose2d(c2, c1, 2, stride=2)
        self.dec1 = conv_block(c1 * 2, c1)
        self.head = nn.Conv2d(c1, n_classes, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        b = self.bottom(self.pool(e2))
        d2 = self.dec2(torch.cat([self.up2(b), e2], 1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))
        return self.head(d1)
