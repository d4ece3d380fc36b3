/**
 * The viewer's GIF button: renders the prediction at every value of a series as an animated GIF
 * and saves it through the host, with a progress bar and status; while it runs, the button
 * cancels.
 */
import { h } from './dom';
import { GifExportCancelled, renderOverlayGif, type GifJob } from './gif-export';

export class GifButton {
  readonly button: HTMLElement;
  readonly progress: HTMLProgressElement;
  readonly status: HTMLElement;
  private abort: AbortController | undefined;
  private readonly title: string;

  /** `job` describes the GIF when the button is pressed; `save` stores its bytes as `fileName()`. */
  constructor(
    id: string,
    seriesName: string,
    private readonly job: () => { render: Omit<GifJob, 'signal' | 'onProgress'>; fileName: string },
    private readonly save: (fileName: string, data: ArrayBuffer) => Promise<void>,
    private readonly onError: (message: string) => void,
  ) {
    this.title = `Export the ${seriesName} prediction overlays as an animated GIF`;
    this.button = h(
      'vscode-button',
      { secondary: true, class: 'gif-export', id: `${id}-gif`, title: this.title, 'aria-label': this.title },
      'GIF',
    );
    this.button.addEventListener('click', () => (this.abort ? this.abort.abort() : void this.export()));
    this.progress = h('progress', {
      class: 'gif-progress',
      max: 1,
      value: 0,
      hidden: true,
      'aria-label': 'GIF export progress',
    });
    this.status = h('span', { class: 'gif-status', role: 'status', 'aria-live': 'polite' });
  }

  private async export(): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    this.button.textContent = 'Cancel GIF';
    this.button.title = 'Stop rendering the GIF';
    this.progress.hidden = false;
    this.status.textContent = '';
    try {
      const { render, fileName } = this.job();
      const bytes = await renderOverlayGif({
        ...render,
        signal: abort.signal,
        onProgress: (done, total) => {
          this.progress.max = total;
          this.progress.value = done;
          this.status.textContent = done < total ? `GIF: frame ${done + 1} of ${total}…` : 'GIF: saving…';
        },
      });
      this.status.textContent = 'GIF: choose where to save it';
      await this.save(fileName, bytes.buffer as ArrayBuffer);
      this.status.textContent = '';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.status.textContent =
        error instanceof GifExportCancelled ? 'GIF export cancelled.' : `GIF export failed: ${message}`;
      if (!(error instanceof GifExportCancelled)) this.onError(`GIF export: ${message}`);
    } finally {
      this.abort = undefined;
      this.button.textContent = 'GIF';
      this.button.title = this.title;
      this.progress.hidden = true;
    }
  }

  dispose(): void {
    this.abort?.abort();
  }
}
