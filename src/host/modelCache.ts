/**
 * Loaded models, kept between runs: opening an onnxruntime session costs far more than a
 * short run. An entry is valid for one model file content (path, size, mtime, and the model
 * card sidecar's mtime) and one set of session options; a changed file simply misses.
 */
import { stat } from 'node:fs/promises';
import { loadModel, sidecarPath, type OnnxSegmentationModel } from '../engine/model';
import type { EngineRunSettings } from '../protocol/engine';

export interface ModelLease {
  model: OnnxSegmentationModel;
  release(): void;
}

/** The models of one run, in the experiment's order, released together. */
export interface ModelSetLease {
  models: OnnxSegmentationModel[];
  release(): void;
}

interface Entry {
  key: string;
  loading: Promise<OnnxSegmentationModel>;
  users: number;
  lastUsed: number;
}

/**
 * Idle models kept loaded (at least; a run of more models keeps all of its own, so running the
 * same comparison again loads nothing); the ones in use are never released.
 */
const MAX_IDLE = 2;

async function fileStamp(path: string): Promise<string> {
  try {
    const info = await stat(path);
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return 'absent';
  }
}

export class ModelCache {
  private readonly entries = new Map<string, Entry>();
  private idleLimit = MAX_IDLE;

  /**
   * Every model of a run, leased one after the other (a run needs them all at once); if one
   * fails to load, the ones already leased are released and the error is thrown.
   */
  async acquireAll(
    paths: readonly string[],
    settings: EngineRunSettings,
    onWarning: (message: string) => void,
  ): Promise<ModelSetLease> {
    this.idleLimit = Math.max(MAX_IDLE, new Set(paths).size);
    const leases: ModelLease[] = [];
    try {
      for (const path of paths) leases.push(await this.acquire(path, settings, onWarning));
    } catch (thrown) {
      for (const lease of leases) lease.release();
      throw thrown;
    }
    return { models: leases.map((lease) => lease.model), release: () => leases.forEach((lease) => lease.release()) };
  }

  /** The model for `path` with these settings; call `release()` when the run is done with it. */
  async acquire(path: string, settings: EngineRunSettings, onWarning: (message: string) => void): Promise<ModelLease> {
    const key = JSON.stringify([
      path,
      await fileStamp(path),
      await fileStamp(sidecarPath(path)),
      settings.threads,
      settings.workers,
      settings.executionProvider,
      settings.batchSize,
    ]);
    let entry = this.entries.get(key);
    if (!entry) {
      const loading = loadModel(path, {
        ...(settings.threads ? { threads: settings.threads } : {}),
        workers: settings.workers ?? 'auto',
        ...(settings.executionProvider ? { executionProvider: settings.executionProvider } : {}),
        ...(settings.batchSize ? { batchSize: settings.batchSize } : {}),
        onWarning,
      });
      entry = { key, loading, users: 0, lastUsed: Date.now() };
      this.entries.set(key, entry);
      // A failed load must not stay cached: the next run tries again (the file may be fixed by then).
      loading.catch(() => this.entries.delete(key));
    }
    const leased = entry;
    leased.users++;
    leased.lastUsed = Date.now();
    let model: OnnxSegmentationModel;
    try {
      model = await leased.loading;
    } catch (thrown) {
      leased.users--;
      throw thrown;
    }
    let released = false;
    return {
      model,
      release: () => {
        if (released) return;
        released = true;
        leased.users--;
        leased.lastUsed = Date.now();
        this.trim();
      },
    };
  }

  /** Releases every idle model (all of them once no run is active). */
  async clear(): Promise<void> {
    const idle = [...this.entries.values()].filter((entry) => entry.users === 0);
    await Promise.all(idle.map((entry) => this.evict(entry)));
  }

  private trim(): void {
    const idle = [...this.entries.values()]
      .filter((entry) => entry.users === 0)
      .sort((a, b) => b.lastUsed - a.lastUsed);
    for (const entry of idle.slice(this.idleLimit)) void this.evict(entry);
  }

  private async evict(entry: Entry): Promise<void> {
    this.entries.delete(entry.key);
    const model = await entry.loading.catch(() => undefined);
    await model?.dispose().catch(() => {});
  }
}
