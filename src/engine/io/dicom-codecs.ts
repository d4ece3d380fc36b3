/**
 * Decoders for compressed DICOM frames. Each takes one frame's encoded bytes (the fragments of
 * the frame joined) and returns its samples as little-endian bytes, rows × columns × samples of
 * `bytesPerSample` each; dicom.ts then applies Bits Stored, signedness and rescale as it does for
 * uncompressed data.
 *
 * The codecs are the ones the field's web viewer (OHIF/Cornerstone) ships and maintains: the
 * WebAssembly builds of libjpeg-turbo (baseline JPEG), CharLS (JPEG-LS) and OpenJPEG
 * (JPEG 2000), and jpeg-lossless-decoder-js (JPEG Lossless, by the maintainer of
 * nifti-reader-js). RLE Lossless has no maintained standalone npm decoder; dicom-rle.ts decodes it
 * from the standard. A WASM module is loaded on first use, once per process; in the bundles its
 * .wasm file sits next to the bundle in dist/ (scripts/build-targets.mjs copies it), which is
 * where the Emscripten glue looks (its own directory).
 */
import charlsFactory from '@cornerstonejs/codec-charls/decodewasmjs';
import libjpegFactory from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs';
import openjpegFactory from '@cornerstonejs/codec-openjpeg/decodewasmjs';
import { Decoder as JpegLosslessDecoder } from 'jpeg-lossless-decoder-js';
import { HOST_IS_LITTLE_ENDIAN, swapBytes } from './bytes';
import { decodeRle } from './dicom-rle';

export type CodecName = 'jpeg-baseline' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg-2000' | 'rle';

/** What a frame holds, from the DICOM header: the decoder's output is checked against it. */
export interface FrameFormat {
  rows: number;
  columns: number;
  samples: number;
  /** Bits Allocated / 8: 1 or 2 (compressed syntaxes hold at most 16 bits). */
  bytesPerSample: number;
}

/** Decoders that load asynchronously (WebAssembly) and then decode synchronously. */
type FrameDecoder = (encoded: Uint8Array, format: FrameFormat) => Uint8Array;

/** An Emscripten module, loaded once per process; a module that failed (an abort) is loaded afresh next time. */
function wasmModule<T>(load: () => Promise<T>): { get: () => Promise<T>; discard: () => void } {
  let module: Promise<T> | undefined;
  return {
    get: () => (module ??= load()),
    discard: () => {
      module = undefined;
    },
  };
}

/**
 * The modules' C code prints to stdout by default (OpenJPEG logs every header it reads): that would
 * corrupt the CLI's output and the engine host's messages. Problems come back as exceptions.
 */
const quiet = () => ({ print: () => undefined, printErr: () => undefined });
// A fresh options object each time: Emscripten builds the module on it (embind refuses a second registration).
const charls = wasmModule(() => charlsFactory(quiet()));
const openjpeg = wasmModule(() => openjpegFactory(quiet()));
const libjpeg = wasmModule(() => libjpegFactory(quiet()));

/** Runs one Cornerstone decoder on `encoded`; the decoded samples are copied out of WASM memory before it is freed. */
function runWasmDecoder(decoder: CornerstoneWasmDecoder, encoded: Uint8Array): Uint8Array {
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    return new Uint8Array(decoder.getDecodedBuffer());
  } finally {
    decoder.delete();
  }
}

/** Embind throws C++ exceptions as numbers (pointers) and aborts as RuntimeErrors; neither says much. */
async function withWasm<T extends Record<string, new () => CornerstoneWasmDecoder>>(
  module: { get: () => Promise<T>; discard: () => void },
  className: keyof T,
): Promise<FrameDecoder> {
  const loaded = await module.get();
  return (encoded) => {
    checkEndMarker(encoded);
    // Emscripten's exit path sets process.exitCode; a bad frame must not change how the CLI exits.
    const exitCode = process.exitCode;
    try {
      return runWasmDecoder(new loaded[className](), encoded);
    } catch (thrown) {
      module.discard(); // after an abort the module is unusable
      throw thrown instanceof Error
        ? thrown
        : new Error(`the decoder rejected the data (error code ${String(thrown)})`);
    } finally {
      process.exitCode = exitCode;
    }
  };
}

/**
 * Refuses a JPEG-family stream (JPEG, JPEG-LS, JPEG 2000) that does not end with its end marker
 * (FFD9: End Of Image, or End Of Codestream in JPEG 2000), after the zero bytes that pad a
 * fragment to even length. A truncated stream is the usual damage, and the decoders handle it
 * badly: jpeg-lossless-decoder-js returns the frame with the rest left 0, CharLS spent 28 s on
 * a 806-byte truncated frame before failing.
 */
function checkEndMarker(encoded: Uint8Array): void {
  let end = encoded.length;
  while (end > 0 && encoded[end - 1] === 0) end--;
  if (end < 2 || encoded[end - 2] !== 0xff || encoded[end - 1] !== 0xd9)
    throw new Error('the compressed stream does not end with its end marker (FFD9): it is truncated');
}

/** jpeg-lossless-decoder-js gives samples in the host's byte order: made little-endian like the rest. */
const jpegLossless: FrameDecoder = (encoded, format) => {
  const decoded = new JpegLosslessDecoder().decode(
    encoded.buffer as ArrayBuffer,
    encoded.byteOffset,
    encoded.byteLength,
    format.bytesPerSample,
  );
  const bytes = new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength);
  if (!HOST_IS_LITTLE_ENDIAN) swapBytes(bytes, format.bytesPerSample);
  return bytes;
};

/** The decoder for `codec`, loading its WebAssembly module on first use. */
export async function frameDecoder(codec: CodecName): Promise<FrameDecoder> {
  switch (codec) {
    case 'jpeg-baseline':
      return withWasm(libjpeg, 'JPEGDecoder');
    case 'jpeg-ls':
      return withWasm(charls, 'JpegLSDecoder');
    case 'jpeg-2000':
      return withWasm(openjpeg, 'J2KDecoder');
    case 'jpeg-lossless':
      return (encoded, format) => {
        checkEndMarker(encoded);
        return jpegLossless(encoded, format);
      };
    case 'rle':
      return (encoded, format) => decodeRle(encoded, format);
  }
}
