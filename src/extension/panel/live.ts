/**
 * What the results panels need from the runs going on in this window: their results so far, and
 * when they start, produce rows and end. The run controller provides it.
 */
import type { RunController } from '../run/controller';

export type LiveRuns = Pick<RunController, 'liveResults' | 'onDidStartRun' | 'onDidProduceRows' | 'onDidFinish'>;
