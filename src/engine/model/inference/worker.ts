/**
 * An inference worker thread: one onnxruntime session that runs the feeds its pool posts, one
 * at a time, and posts the outputs back. onnxruntime-node runs a session synchronously on its
 * calling thread, so running it here leaves the main thread free to transform the next batch
 * and score the last one meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { describeThrown } from '../../errors';
import type { FromWorker, ToWorker, WireTensor, WorkerStart } from './protocol';

const start = workerData as WorkerStart;
const port = parentPort!;
const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

function bufferOf(data: ort.Tensor.DataType): ArrayBuffer[] {
  return ArrayBuffer.isView(data) && data.buffer instanceof ArrayBuffer ? [data.buffer] : [];
}

async function serve(session: ort.InferenceSession): Promise<void> {
  port.on('message', (message: ToWorker) => {
    if (message.kind === 'release') {
      void session.release().finally(() => post({ kind: 'released' }));
      return;
    }
    const { id, feed } = message;
    void (async () => {
      try {
        const begin = process.hrtime.bigint();
        const tensor = new ort.Tensor(feed.type, feed.data as Float32Array, feed.dims);
        const results = await session.run({ [start.inputName]: tensor }, [start.outputName]);
        const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
        const output = results[start.outputName] as ort.Tensor;
        const wire: WireTensor = { type: output.type, data: output.data, dims: output.dims };
        post({ kind: 'done', id, output: wire, seconds }, bufferOf(output.data));
      } catch (thrown) {
        post({ kind: 'failed', id, message: describeThrown(thrown) });
      }
    })();
  });
  post({ kind: 'ready' });
}

ort.InferenceSession.create(start.modelPath, start.options).then(serve, (thrown: unknown) =>
  post({ kind: 'failed', message: describeThrown(thrown) }),
);
