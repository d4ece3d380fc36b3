/**
 * Issue 17 item 6: our glob walker, GIF encoder and FFT against maintained libraries made for
 * the job (tinyglobby, gifenc + omggif as an independent decoder, fft.js). Correctness first
 * (same outputs on our cases, the numpy goldens), then speed side by side in one run (best of
 * repeats), then browser-bundle bytes (esbuild, minified). The candidates are not dependencies:
 * install them in a scratch folder and point MISAS_LIBS_EVAL at it:
 *
 *   mkdir /tmp/libs-eval && cd /tmp/libs-eval && npm init -y &&
 *     npm install tinyglobby@0.2.17 gifenc@1.0.3 omggif@1.0.10 fft.js@4.0.4
 *   MISAS_LIBS_EVAL=/tmp/libs-eval npx tsx bench/libraries.ts
 *
 * The figures and the decisions are in the README ("Why our own glob, GIF encoder and FFT").
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { globFiles, patternSegments } from '../src/engine/dataset/glob';
import { fftPlan } from '../src/engine/fft';
import { encodeGif } from '../webview-ui/data/gif';
import { loadGoldens } from '../test/helpers/goldens';

const ROOT = join(import.meta.dirname, '..');
const EVAL = process.env.MISAS_LIBS_EVAL;
if (!EVAL) {
  console.error('Set MISAS_LIBS_EVAL to a folder where tinyglobby, gifenc, omggif and fft.js are installed.');
  process.exit(2);
}
const requireEval = createRequire(join(EVAL, 'package.json'));
/* eslint-disable @typescript-eslint/no-explicit-any -- the candidates are untyped here on purpose */
const tinyglobby = requireEval('tinyglobby') as any;
const gifenc = requireEval('gifenc') as any;
const omggif = requireEval('omggif') as any;
const FFTJS = requireEval('fft.js') as any;
/* eslint-enable @typescript-eslint/no-explicit-any */

const REPEATS = 5;

/** Best of REPEATS for each contender, measured alternately so both see the same machine load. */
function race(label: string, contenders: Record<string, () => void>, inner = 1): void {
  const best: Record<string, number> = {};
  for (const work of Object.values(contenders)) work(); // warm-up: both compiled before timing
  for (let r = 0; r < REPEATS; r++)
    for (const [name, work] of Object.entries(contenders)) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < inner; i++) work();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9 / inner;
      best[name] = Math.min(best[name] ?? Infinity, seconds);
    }
  const [first, ...others] = Object.keys(best);
  const parts = Object.entries(best).map(([name, s]) => `${name} ${(s * 1e3).toFixed(3)} ms`);
  const ratios = others.map((name) => `${name}/${first} = ${(best[name] / best[first]).toFixed(2)}`);
  console.log(`  ${label}: ${parts.join(', ')}; ${ratios.join(', ')}`);
}

async function bundleBytes(contents: string): Promise<{ min: number; gzip: number }> {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    nodePaths: [join(EVAL!, 'node_modules')],
  });
  const bytes = result.outputFiles[0].contents;
  return { min: bytes.length, gzip: gzipSync(bytes).length };
}

// ─── Glob ────────────────────────────────────────────────────────────────────────────────────
function globComparison(): void {
  console.log('\nGlob (our globFiles vs tinyglobby, followSymbolicLinks, dot: false)');
  const dir = mkdtempSync(join(tmpdir(), 'misas-libs-glob-'));
  try {
    const project = join(dir, 'project');
    const outside = join(dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'x_img.nii.gz'), '');
    // 40 subjects × 2 sessions, images and masks, a hidden run folder, a symlink loop.
    for (let s = 0; s < 40; s++)
      for (const session of ['ses-1', 'ses-2']) {
        const folder = join(project, 'data', `sub-${String(s).padStart(2, '0')}`, session, 'anat');
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, `sub-${s}_img.nii.gz`), '');
        writeFileSync(join(folder, `sub-${s}_seg.nii.gz`), '');
        writeFileSync(join(folder, 'notes.txt'), '');
      }
    mkdirSync(join(project, 'data', '.misas', 'run'), { recursive: true });
    writeFileSync(join(project, 'data', '.misas', 'run', 'p_img.nii.gz'), '');
    symlinkSync(join(project, 'data'), join(project, 'data', 'sub-00', 'loop'));
    // As expand.ts calls it: the walk starts at the pattern's literal folder (data/).
    const data = join(project, 'data');
    const patterns = ['**/*_img.nii.gz', 'sub-?5/*/anat/*_seg.nii.gz', '*/ses-1/**/*.nii.gz'];
    for (const pattern of patterns) {
      const ours = globFiles(data, patternSegments(pattern), project).map((m) => m.path);
      const theirs = (
        tinyglobby.globSync(pattern, {
          cwd: data,
          absolute: true,
          followSymbolicLinks: true,
          onlyFiles: true,
        }) as string[]
      ).sort();
      const extra = theirs.filter((p) => !ours.includes(p));
      const missing = ours.filter((p) => !theirs.includes(p));
      console.log(
        `  ${pattern}: ours ${ours.length} files, tinyglobby ${theirs.length} (${extra.length} extra, ${missing.length} missing)`,
      );
      for (const p of extra.slice(0, 2)) console.log(`    extra: ${p.slice(project.length + 1)}`);
      race(pattern, {
        ours: () => globFiles(data, patternSegments(pattern), project),
        tinyglobby: () => tinyglobby.globSync(pattern, { cwd: data, absolute: true, followSymbolicLinks: true }),
      });
    }
    // A link to a folder outside the project: ours refuses (GlobOutsideRootError), what does tinyglobby do?
    symlinkSync(outside, join(project, 'data', 'away'));
    let ours = 'returned';
    try {
      globFiles(data, patternSegments('**/*_img.nii.gz'), project);
    } catch (error) {
      ours = `throws ${(error as Error).constructor.name}`;
    }
    const theirs = (tinyglobby.globSync('**/*_img.nii.gz', { cwd: data, absolute: true }) as string[]).filter((p) =>
      p.includes('/away/'),
    );
    console.log(`  link out of the project: ours ${ours}; tinyglobby returns ${theirs.length} file(s) through it`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ─── GIF ─────────────────────────────────────────────────────────────────────────────────────
function overlayFrames(width: number, height: number, count: number): Uint8Array[] {
  // Overlay-like: a grey image (indices 0…15) with label blobs (16…19) that move frame by frame.
  return Array.from({ length: count }, (_, f) => {
    const indices = new Uint8Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const grey = Math.floor(((x * 7 + y * 3) % 256) / 16);
        const r = Math.hypot(x - width / 2 - f, y - height / 2);
        indices[y * width + x] = r < width / 6 ? 16 + ((x + y + f) % 4 === 0 ? 1 : 0) : r < width / 4 ? 18 : grey;
      }
    return indices;
  });
}

function decodedIndices(bytes: Uint8Array): { width: number; height: number; frames: Uint8Array[] } {
  const reader = new omggif.GifReader(Buffer.from(bytes));
  const frames: Uint8Array[] = [];
  for (let f = 0; f < reader.numFrames(); f++) {
    // omggif decodes to RGBA; the palette index is recovered from the colour below.
    const rgba = new Uint8Array(reader.width * reader.height * 4);
    reader.decodeAndBlitFrameRGBA(f, rgba);
    const indices = new Uint8Array(reader.width * reader.height);
    for (let i = 0; i < indices.length; i++) indices[i] = rgba[i * 4]; // palette red channel = index
    frames.push(indices);
  }
  return { width: reader.width, height: reader.height, frames };
}

async function gifComparison(): Promise<void> {
  console.log('\nGIF (our encodeGif vs gifenc; both decoded by omggif)');
  const width = 256,
    height = 256,
    count = 24,
    colours = 20;
  // Red channel = index, so a decoded pixel names its index.
  const palette = new Uint8Array(colours * 3).map((_, i) => (i % 3 === 0 ? i / 3 : 0));
  const frames = overlayFrames(width, height, count);
  const ours = () => encodeGif({ width, height, palette, frames: frames.map((indices) => ({ indices, delayCs: 10 })) });
  const gifencPalette = Array.from({ length: colours }, (_, i) => [i, 0, 0]);
  const theirs = () => {
    const encoder = gifenc.GIFEncoder();
    for (const indices of frames)
      encoder.writeFrame(indices, width, height, { palette: gifencPalette, delay: 100, repeat: 0 });
    encoder.finish();
    return encoder.bytes() as Uint8Array;
  };
  for (const [name, bytes] of [
    ['ours', ours()],
    ['gifenc', theirs()],
  ] as const) {
    const decoded = decodedIndices(bytes);
    const same =
      decoded.frames.length === count && decoded.frames.every((f, i) => f.every((v, j) => v === frames[i][j]));
    console.log(`  ${name}: ${bytes.length} bytes, ${decoded.frames.length} frames, indices identical: ${same}`);
  }
  race(`${count} frames ${width}×${height}`, { ours, gifenc: theirs });
  const ourBundle = await bundleBytes(
    `import { encodeGif } from './webview-ui/data/gif'; (globalThis as any).e = encodeGif;`,
  );
  const theirBundle = await bundleBytes(`import { GIFEncoder } from 'gifenc'; (globalThis as any).e = GIFEncoder;`);
  console.log(
    `  browser bundle (esbuild --minify): ours ${ourBundle.min} B (${ourBundle.gzip} B gzip), gifenc's GIFEncoder ${theirBundle.min} B (${theirBundle.gzip} B gzip)`,
  );
}

// ─── FFT ─────────────────────────────────────────────────────────────────────────────────────
function fftComparison(): void {
  console.log('\nFFT (our fftPlan vs fft.js; numpy.fft goldens in test/goldens/intensity/fft.json)');
  const goldens = loadGoldens('intensity/fft.json');
  for (const [name, golden] of Object.entries(goldens.cases).filter(([n]) => n.startsWith('fft1d-'))) {
    const n = golden.params.n as number;
    const { re, im, fftRe, fftIm } = golden.arrays;
    const scale = Math.max(...fftRe.data.map(Math.abs), ...fftIm.data.map(Math.abs));
    const error = (outRe: ArrayLike<number>, outIm: ArrayLike<number>) => {
      let worst = 0;
      for (let k = 0; k < n; k++)
        worst = Math.max(worst, Math.abs(outRe[k] - fftRe.data[k]), Math.abs(outIm[k] - fftIm.data[k]));
      return (worst / scale).toExponential(1);
    };
    const oRe = Float64Array.from(re.data),
      oIm = Float64Array.from(im.data);
    fftPlan(n).forward(oRe, oIm);
    let theirs: string;
    try {
      const f = new FFTJS(n);
      const input = f.createComplexArray();
      for (let k = 0; k < n; k++) {
        input[2 * k] = re.data[k];
        input[2 * k + 1] = im.data[k];
      }
      const out = f.createComplexArray();
      f.transform(out, input);
      theirs = error(
        out.filter((_: number, i: number) => i % 2 === 0),
        out.filter((_: number, i: number) => i % 2 === 1),
      );
    } catch (e) {
      theirs = `refuses (${(e as Error).message})`;
    }
    console.log(`  ${name}: max error / max |X| ours ${error(oRe, oIm)}, fft.js ${theirs}`);
  }
  // Speed of the power-of-two kernel (also the inner transform of Bluestein for 181 and 217:
  // both pad to 512), fft.js timed with the copy into and out of its interleaved layout.
  for (const n of [256, 512, 1024]) {
    const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + (i % 7));
    const im = new Float64Array(n);
    const plan = fftPlan(n);
    const f = new FFTJS(n);
    const input = f.createComplexArray(),
      out = f.createComplexArray();
    const wRe = new Float64Array(n),
      wIm = new Float64Array(n);
    race(
      `n = ${n} (×1000)`,
      {
        ours: () => {
          wRe.set(re);
          wIm.set(im);
          plan.forward(wRe, wIm);
        },
        'fft.js': () => {
          for (let k = 0; k < n; k++) {
            input[2 * k] = re[k];
            input[2 * k + 1] = im[k];
          }
          f.transform(out, input);
          for (let k = 0; k < n; k++) {
            wRe[k] = out[2 * k];
            wIm[k] = out[2 * k + 1];
          }
        },
      },
      1000,
    );
  }
  // fft.js has no other lengths. The real volume sizes through ours (Bluestein over a 512-point
  // radix-2 kernel) and through a sketch of the same Bluestein over fft.js's kernel: what adopting
  // fft.js as our inner transform would gain (checked against the numpy golden first).
  for (const n of [181, 217]) {
    const golden = loadGoldens('intensity/fft.json').cases[`fft1d-${n}`].arrays;
    const sketch = bluesteinOverFftJs(n);
    const sRe = Float64Array.from(golden.re.data),
      sIm = Float64Array.from(golden.im.data);
    sketch(sRe, sIm);
    const oRe = Float64Array.from(golden.re.data),
      oIm = Float64Array.from(golden.im.data);
    fftPlan(n).forward(oRe, oIm);
    const worst = (outRe: Float64Array, outIm: Float64Array) => {
      let error = 0;
      for (let k = 0; k < n; k++)
        error = Math.max(error, Math.abs(outRe[k] - golden.fftRe.data[k]), Math.abs(outIm[k] - golden.fftIm.data[k]));
      return error.toExponential(1);
    };
    const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37));
    const plan = fftPlan(n);
    const wRe = new Float64Array(n),
      wIm = new Float64Array(n);
    race(
      `n = ${n} (×1000; max |error| ours ${worst(oRe, oIm)}, sketch ${worst(sRe, sIm)})`,
      {
        ours: () => {
          wRe.set(re);
          wIm.fill(0);
          plan.forward(wRe, wIm);
        },
        'bluestein over fft.js': () => {
          wRe.set(re);
          wIm.fill(0);
          sketch(wRe, wIm);
        },
      },
      1000,
    );
  }
}

/** Bluestein's chirp-z (the formula in src/engine/fft/fft1d.ts) with fft.js for the M-point transforms. */
function bluesteinOverFftJs(n: number): (re: Float64Array, im: Float64Array) => void {
  let m = 1;
  while (m < 2 * n - 1) m *= 2;
  const f = new FFTJS(m);
  const chirpRe = new Float64Array(n),
    chirpIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const angle = (Math.PI * ((k * k) % (2 * n))) / n;
    chirpRe[k] = Math.cos(angle);
    chirpIm[k] = -Math.sin(angle);
  }
  const kernelIn = f.createComplexArray();
  kernelIn[0] = chirpRe[0];
  kernelIn[1] = -chirpIm[0];
  for (let k = 1; k < n; k++) {
    kernelIn[2 * k] = kernelIn[2 * (m - k)] = chirpRe[k];
    kernelIn[2 * k + 1] = kernelIn[2 * (m - k) + 1] = -chirpIm[k];
  }
  const kernel = f.createComplexArray();
  f.transform(kernel, kernelIn);
  const work = f.createComplexArray(),
    spectrum = f.createComplexArray();
  return (re, im) => {
    work.fill(0);
    for (let k = 0; k < n; k++) {
      work[2 * k] = re[k] * chirpRe[k] - im[k] * chirpIm[k];
      work[2 * k + 1] = re[k] * chirpIm[k] + im[k] * chirpRe[k];
    }
    f.transform(spectrum, work);
    for (let k = 0; k < m; k++) {
      const a = spectrum[2 * k],
        b = spectrum[2 * k + 1];
      spectrum[2 * k] = a * kernel[2 * k] - b * kernel[2 * k + 1];
      spectrum[2 * k + 1] = a * kernel[2 * k + 1] + b * kernel[2 * k];
    }
    f.inverseTransform(work, spectrum); // fft.js scales its inverse by 1/m
    for (let k = 0; k < n; k++) {
      const cr = work[2 * k],
        ci = work[2 * k + 1];
      re[k] = cr * chirpRe[k] - ci * chirpIm[k];
      im[k] = cr * chirpIm[k] + ci * chirpRe[k];
    }
  };
}

globComparison();
await gifComparison();
fftComparison();
