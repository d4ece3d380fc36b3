// Types for the DICOM pixel codecs (the packages ship none): only what src/engine/io/dicom-codecs.ts uses.

/** The Emscripten decoders Cornerstone publishes share this shape (embind classes in a WASM module). */
interface CornerstoneWasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  delete(): void;
}

type CornerstoneWasmFactory<Name extends string> = (options?: {
  locateFile?: (path: string, scriptDirectory: string) => string;
  /** Where the module's C code prints (console.log / console.error unless given). */
  print?: (text: string) => void;
  printErr?: (text: string) => void;
}) => Promise<Record<Name, new () => CornerstoneWasmDecoder>>;

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: CornerstoneWasmFactory<'JpegLSDecoder'>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: CornerstoneWasmFactory<'J2KDecoder'>;
  export default factory;
}

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: CornerstoneWasmFactory<'JPEGDecoder'>;
  export default factory;
}

declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    /** Decodes `length` bytes of `buffer` from `offset`; samples of `numBytes` bytes (1 or 2), host byte order. */
    decode(buffer: ArrayBuffer, offset: number, length: number, numBytes: number): Uint8Array | Uint16Array;
  }
}
