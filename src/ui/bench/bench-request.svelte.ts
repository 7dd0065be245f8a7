/**
 * A "Benchmark this model" link's request to the Benchmark view: which engine to select. Kept apart
 * from the view's state so the model panel can link to the benchmark without loading its items.
 */
class BenchRequest {
  /** The engine choice's id (`current`, `built-in`…); the view takes it and clears it. */
  engineId = $state<string | null>(null);

  take(): string | null {
    const engineId = this.engineId;
    this.engineId = null;
    return engineId;
  }
}

export const benchRequest = new BenchRequest();

/** The heading the link scrolls to: the Benchmark panel in Settings. */
export const benchmarkAnchor = '#settings-benchmark-heading';
