/**
 * Paces a running run's results to a panel's page: at most one update every LIVE_INTERVAL_MS
 * (each update redraws every chart), and none while the page is still drawing the last one (until
 * it says `liveShown`); rows that arrive meanwhile go out once it has.
 */

/** A running run's results are sent to the page at most this often. */
export const LIVE_INTERVAL_MS = 500;

export class LivePacing {
  private timer?: ReturnType<typeof setTimeout>;
  private lastSent = 0;
  /** An update is on its way to the page or being drawn (no `liveShown` yet): the next waits. */
  private awaitingPage = false;
  /** Rows arrived while the page was busy: send them once it has drawn the last update. */
  private pending = false;

  /** `send` sends the results so far (and calls `sent`); `canSend` says whether the page takes updates now. */
  constructor(
    private readonly canSend: () => boolean,
    private readonly send: () => void,
  ) {}

  /** New rows: schedules an update. */
  rowsArrived(): void {
    if (this.awaitingPage) {
      this.pending = true;
      return;
    }
    if (this.timer || !this.canSend()) return;
    const wait = Math.max(0, this.lastSent + LIVE_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, wait);
  }

  /** An update went to the page. */
  sent(): void {
    this.lastSent = Date.now();
    this.awaitingPage = true;
    this.pending = false;
  }

  /** The page drew the last update (`liveShown`). */
  shown(): void {
    this.awaitingPage = false;
    if (this.pending) this.rowsArrived();
  }

  /** The page loaded again: it has no update in flight. */
  pageReloaded(): void {
    this.awaitingPage = false;
  }

  /** Drops a scheduled update (the run ended, or the panel closes). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
