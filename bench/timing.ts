/** Seconds an async piece of work takes (wall time; the bench keeps the best of its repeats). */
export async function timeIt(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}
