// The engine client against the real engine host process (src/host/main.ts through tsx):
// requests and responses, streamed events, cancel, what a failed run leaves on disk, recovery
// after the process is killed, and stopping an idle process.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineClient, EngineRequestError, EngineStoppedError } from '../../../src/extension/run/engineClient';
import type { EngineEvent } from '../../../src/protocol/engine';
import { defaultValuesFor, getTransform, transforms as registry } from '../../../src/engine/transforms/registry';
import { expandSweep } from '../../../src/engine/transforms/sweep';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const hostScript = path.join(repo, 'src/host/main.ts');

describe('extension/run/EngineClient with the engine host process', function () {
  this.timeout(60_000);
  let workspace: string;
  let client: EngineClient;
  const events: EngineEvent[] = [];
  const stops: string[] = [];

  const experiment = (name: string, content: object) => {
    const file = path.join(workspace, 'example', `${name}.misas.json`);
    fs.writeFileSync(file, JSON.stringify({ name, model: 'model.onnx', metrics: ['dice'], ...content }));
    return file;
  };
  const input = { image: 'data/colin27_z075_image.nii.gz', mask: 'data/colin27_z075_label.nii.gz' };
  const runRequest = (runId: string, experimentFile: string) =>
    ({
      type: 'run',
      runId,
      experimentFile,
      root: workspace,
      outDir: path.join(workspace, 'runs', runId),
      settings: { threads: 1 },
    }) as const;

  before(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'misas-engine-client-'));
    const source = path.join(repo, 'examples/colin27');
    fs.mkdirSync(path.join(workspace, 'example/data'), { recursive: true });
    for (const file of ['model.onnx', 'model.onnx.misas.json', input.image, input.mask])
      fs.copyFileSync(path.join(source, file), path.join(workspace, 'example', file));
    client = new EngineClient({ hostScript, execArgv: ['--import', 'tsx'], onStopped: (reason) => stops.push(reason) });
    client.onEvent((event) => events.push(event));
  });

  after(() => {
    client.dispose();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('starts the process on the first request and says hello with its pid', async () => {
    assert.equal(client.pid, undefined, 'started lazily');
    const hello = await client.request({ type: 'hello' });
    assert.equal(hello.pid, client.pid);
    assert.notEqual(hello.pid, process.pid);
  });

  it('lists the transform registry with the default ranges an experiment file can spell out (the wizard, Show Transforms)', async () => {
    const { transforms } = await client.request({ type: 'listTransforms' });
    assert.deepEqual(
      transforms.map((t) => t.name),
      registry.map((spec) => spec.name),
    );
    for (const t of transforms) {
      const spec = getTransform(t.name);
      // Spelled out, the range sweeps what the engine sweeps for a series that names only the transform.
      if (t.defaultRange) assert.deepEqual(expandSweep(t.defaultRange), defaultValuesFor(spec, [64, 48]), t.name);
      else assert.equal(typeof spec.defaultSweep, 'function', `${t.name} has a fixed default but no range`);
    }
    assert.ok(
      transforms.some((t) => t.defaultRange === null),
      "resize's default depends on the input size",
    );
  });

  it('runs an experiment, streaming its start, rows and progress, and writes results.json', async () => {
    events.length = 0;
    const file = experiment('small', {
      inputs: [input],
      series: [
        { transform: 'rotate', values: [-10, 0, 10] },
        { transform: 'brightness', values: [0.5, 1] },
      ],
    });
    const answer = await client.request(runRequest('small', file));
    assert.deepEqual(
      { ...answer, id: 0 },
      {
        type: 'run',
        id: 0,
        runId: 'small',
        status: 'completed',
        runDir: path.join(workspace, 'runs', 'small'),
        rows: 5,
        resultsWritten: true,
      },
    );
    const results = JSON.parse(fs.readFileSync(path.join(answer.runDir, 'results.json'), 'utf8'));
    assert.equal(results.status, 'completed');
    const started = events.find((event) => event.type === 'runStarted');
    assert.ok(started?.type === 'runStarted');
    const { run } = started;
    assert.deepEqual(
      {
        runId: started.runId,
        total: started.total,
        classes: run.classes,
        inputs: run.inputs.map((i) => [i.label, i.imagePath]),
        series: run.series.map((s) => s.name),
        models: run.models.map((m) => [m.label, m.path]),
      },
      {
        runId: 'small',
        total: 5,
        classes: ['background', 'cortex', 'deep_gm', 'cerebellum'],
        inputs: [['colin27_z075_image.nii.gz', input.image]],
        series: ['rotate', 'brightness'],
        models: [['model.onnx', 'model.onnx']],
      },
    );
    assert.equal(run.startedAt, results.timing.startedAt, 'the live view and the file agree on the start');
    assert.deepEqual(
      run.series.map((s) => s.values),
      results.series.map((s: { values: unknown }) => s.values),
    );
    const streamed = events.flatMap((event) => (event.type === 'runRows' ? event.rows : []));
    assert.equal(streamed.length, 5);
    assert.ok(streamed.every((row) => row.model === 0 && row.input === 0));
    const baselines = events.flatMap((event) => (event.type === 'runRows' ? event.baselines : []));
    assert.deepEqual(baselines, results.baselines);
    const last = events.filter((event) => event.type === 'runProgress').at(-1);
    assert.equal(last?.type === 'runProgress' && `${last.done}/${last.total}`, '5/5');
  });

  it('applies the default tolerance setting only to experiments that set none', async () => {
    const series = [{ transform: 'rotate', values: [0, 30] }];
    const unset = experiment('unset-tau', { inputs: [input], series });
    const own = experiment('own-tau', { inputs: [input], series, tolerance: 0.8 });
    const withDefault = (runId: string, file: string) => ({
      ...runRequest(runId, file),
      settings: { threads: 1, tolerance: 0.5 },
    });
    const tauOf = async (runId: string, file: string) => {
      const answer = await client.request(withDefault(runId, file));
      return JSON.parse(fs.readFileSync(path.join(answer.runDir, 'results.json'), 'utf8')).tolerance;
    };
    assert.equal(await tauOf('unset-tau', unset), 0.5);
    assert.equal(await tauOf('own-tau', own), 0.8);
  });

  it('answers a missing model with an error naming the file', async () => {
    const file = experiment('no-model', {
      model: 'nothing_here.onnx',
      inputs: [input],
      series: [{ transform: 'rotate', values: [0] }],
    });
    const error = await client.request(runRequest('no-model', file)).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof EngineRequestError, String(error));
    assert.equal(error.error.file, path.join(workspace, 'example/nothing_here.onnx'));
    assert.match(error.error.problem ?? '', /not found|no such file/i);
  });

  it('goes on without an input it cannot read, and says so when the run starts', async () => {
    events.length = 0;
    const missing = path.join('data', 'nothing_here.nii.gz'); // problems name files relative to the experiment
    const file = experiment('missing', {
      inputs: [{ image: 'data/nothing_here.nii.gz' }, input],
      series: [{ transform: 'rotate', values: [0, 10] }],
    });
    const answer = await client.request(runRequest('missing', file));
    assert.equal(answer.status, 'completed');
    assert.equal(answer.rows, 2, 'the readable input ran');
    const started = events.find((event) => event.type === 'runStarted');
    assert.ok(started?.type === 'runStarted');
    assert.deepEqual(
      started.run.problems.map((p) => [p.file, p.action, p.input]),
      [[missing, 'skipped', 0]],
    );
    assert.match(started.run.problems[0].problem, /file not found/);
    assert.match(started.run.inputs[0].problem ?? '', /file not found/);
  });

  it('passes the memory setting on: an input larger than misas.maxMemoryMB is refused before the run', async () => {
    const file = experiment('tight-memory', { inputs: [input], series: [{ transform: 'rotate', values: [0, 10] }] });
    const error = await client
      .request({ ...runRequest('tight-memory', file), settings: { threads: 1, maxMemoryMB: 1 } })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    assert.ok(error instanceof EngineRequestError, String(error));
    assert.equal(error.error.file, file);
    assert.match(
      error.error.problem ?? '',
      /the only input cannot be run: .*needs about \d+\.\d\d GiB in memory, more than the limit of 0\.00 GiB/,
    );
    const roomy = await client.request({
      ...runRequest('roomy-memory', file),
      settings: { threads: 1, maxMemoryMB: 4096 },
    });
    assert.equal(roomy.rows, 2);
  });

  it('removes the folder of a failed run that wrote nothing, or only leftovers of interrupted writes', async () => {
    const file = experiment('fails-early', { inputs: [input], series: [{ transform: 'rotate', values: [0, 10] }] });
    // An input larger than the memory limit fails the run after its folder was made.
    const failing = (runId: string) => ({ ...runRequest(runId, file), settings: { threads: 1, maxMemoryMB: 1 } });
    const empty = failing('fails-empty');
    await assert.rejects(client.request(empty), EngineRequestError);
    assert.equal(fs.existsSync(empty.outDir), false, 'the empty folder is still there');

    const withLeftover = failing('fails-leftover');
    fs.mkdirSync(withLeftover.outDir, { recursive: true });
    // writeFileAtomic's temporary name: .<file>.<pid>.<ms>.tmp (src/engine/report/files.ts).
    fs.writeFileSync(path.join(withLeftover.outDir, '.results.csv.4242.1767225600000.tmp'), 'half a file');
    await assert.rejects(client.request(withLeftover), EngineRequestError);
    assert.equal(fs.existsSync(withLeftover.outDir), false, 'a folder with only a temporary file is still there');
  });

  it('keeps what a run wrote before it failed, with a failed.json saying why', async () => {
    const file = experiment('fails-midway', { inputs: [input], series: [{ transform: 'rotate', values: [0, 10] }] });
    const request = { ...runRequest('fails-midway', file), settings: { threads: 1, keepPredictions: true } };
    // The second prediction's file name is taken by a folder: the run fails after writing the first.
    const predictions = path.join(request.outDir, 'predictions');
    fs.mkdirSync(path.join(predictions, 'rotate_input0_10.nii.gz'), { recursive: true });
    const before = Date.now();
    const error = await client.request(request).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof EngineRequestError, String(error));
    assert.ok(
      fs.existsSync(path.join(predictions, 'rotate_input0_0.nii.gz')),
      'the prediction written before the failure is gone',
    );
    assert.equal(fs.existsSync(path.join(request.outDir, 'results.json')), false);
    const failed = JSON.parse(fs.readFileSync(path.join(request.outDir, 'failed.json'), 'utf8'));
    const blocked = path.join(predictions, 'rotate_input0_10.nii.gz');
    assert.deepEqual({ message: failed.message, file: failed.file }, { message: error.message, file: blocked });
    assert.match(failed.message, /is a directory/);
    const at = Date.parse(failed.at);
    assert.ok(at >= before - 1000 && at <= Date.now(), failed.at);
    assert.deepEqual(fs.readdirSync(request.outDir).sort(), ['failed.json', 'predictions']);
  });

  it('writes failed.json with the file a bad-input failure is about', async () => {
    const file = experiment('bad-series', { inputs: [input], series: [{ transform: 'rotate', values: [0, 10] }] });
    const request = { ...runRequest('bad-series', file), seriesFilter: ['no-such-series'] };
    // Something of value in the folder (a CSV of an earlier attempt) keeps it.
    fs.mkdirSync(request.outDir, { recursive: true });
    fs.writeFileSync(path.join(request.outDir, 'results.csv'), 'series,value\n');
    const error = await client.request(request).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof EngineRequestError, String(error));
    assert.equal(error.error.file, file);
    const failed = JSON.parse(fs.readFileSync(path.join(request.outDir, 'failed.json'), 'utf8'));
    assert.deepEqual({ message: failed.message, file: failed.file }, { message: error.error.message, file });
    assert.match(failed.message, /no series named "no-such-series"/);
    assert.equal(fs.readFileSync(path.join(request.outDir, 'results.csv'), 'utf8'), 'series,value\n');
  });

  it('cancels a run: status cancelled with the finished steps written', async () => {
    const file = experiment('long', {
      inputs: [input],
      series: [{ transform: 'rotate', start: -180, stop: 180, steps: 1001 }],
    });
    const running = client.request(runRequest('to-cancel', file));
    await until(() => events.some((event) => event.type === 'runProgress' && event.runId === 'to-cancel'));
    const cancel = await client.request({ type: 'cancel', runId: 'to-cancel' });
    assert.equal(cancel.found, true);
    const answer = await running;
    assert.equal(answer.status, 'cancelled');
    assert.ok(answer.rows > 0 && answer.rows < 1001, `${answer.rows} rows`);
    assert.equal(JSON.parse(fs.readFileSync(path.join(answer.runDir, 'results.json'), 'utf8')).status, 'cancelled');
  });

  it('fails the requests of a killed process and starts a fresh one for the next request', async () => {
    const file = path.join(workspace, 'example', 'long.misas.json');
    const running = client.request(runRequest('to-kill', file));
    await until(() => events.some((event) => event.type === 'runProgress' && event.runId === 'to-kill'));
    const pid = client.pid!;
    process.kill(pid, 'SIGKILL');
    const error = await running.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof EngineStoppedError, String(error));
    assert.equal(error.message, 'engine stopped unexpectedly: killed by SIGKILL');
    assert.deepEqual(stops, ['killed by SIGKILL']);
    assert.equal(client.pid, undefined);
    const hello = await client.request({ type: 'hello' });
    assert.ok(hello.pid !== pid && hello.pid === client.pid);
  });
});

describe('extension/run/EngineClient: an idle engine process', function () {
  this.timeout(60_000);
  const idleMs = 300;
  let workspace: string;
  let client: EngineClient;
  const idleStops: number[] = [];
  const stops: string[] = [];

  before(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'misas-engine-idle-'));
    const source = path.join(repo, 'examples/colin27');
    fs.mkdirSync(path.join(workspace, 'data'));
    for (const file of [
      'model.onnx',
      'model.onnx.misas.json',
      'data/colin27_z075_image.nii.gz',
      'data/colin27_z075_label.nii.gz',
    ])
      fs.copyFileSync(path.join(source, file), path.join(workspace, file));
    client = new EngineClient({
      hostScript,
      execArgv: ['--import', 'tsx'],
      idleTimeoutMs: () => idleMs,
      onIdleStop: (ms) => idleStops.push(ms),
      onStopped: (reason) => stops.push(reason),
    });
  });

  after(() => {
    client.dispose();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('is not stopped during a run longer than the timeout, is stopped once idle, and the next request starts a fresh one', async () => {
    const experimentFile = path.join(workspace, 'idle.misas.json');
    const values = Array.from({ length: 25 }, (_, i) => i * 5 - 60);
    fs.writeFileSync(
      experimentFile,
      JSON.stringify({
        name: 'idle',
        model: 'model.onnx',
        metrics: ['dice'],
        inputs: [{ image: 'data/colin27_z075_image.nii.gz', mask: 'data/colin27_z075_label.nii.gz' }],
        series: [{ transform: 'rotate', values }],
      }),
    );
    const runDir = path.join(workspace, 'runs', 'idle');
    const started = Date.now();
    const answer = await client.request({
      type: 'run',
      runId: 'idle',
      experimentFile,
      root: workspace,
      outDir: runDir,
      settings: { threads: 1 },
    });
    const runMs = Date.now() - started;
    assert.equal(answer.status, 'completed');
    assert.ok(runMs > idleMs, `the run took ${runMs} ms, not longer than the idle timeout: this test proves nothing`);
    const firstPid = client.pid!;
    assert.ok(isRunning(firstPid));
    assert.deepEqual(idleStops, [], 'stopped while a run was going');

    await until(() => client.pid === undefined, 10_000);
    assert.deepEqual(idleStops, [idleMs]);
    // The process exits on its own (shutdown: it releases its models and exits); no crash is reported.
    await until(() => !isRunning(firstPid), 10_000);
    assert.deepEqual(stops, []);

    // A frame needs the run's model: the fresh process loads it again.
    const frame = await client.frame({
      experimentFile,
      root: workspace,
      runDir,
      series: 'rotate',
      input: 0,
      value: 10,
      settings: { threads: 1 },
    });
    assert.ok(frame.dims[0] > 0 && frame.prediction.length === frame.dims[0] * frame.dims[1]);
    const secondPid = client.pid!;
    assert.ok(secondPid !== undefined && secondPid !== firstPid);
    await until(() => client.pid === undefined && !isRunning(secondPid), 10_000);
    assert.deepEqual(idleStops, [idleMs, idleMs]);
    assert.deepEqual(stops, []);
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
