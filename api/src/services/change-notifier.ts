/** In-process fan-out of committed changes (company id → newest sequence) for live streams. */
export type ChangeListener = (companyId: string, seq: number) => void;

export class ChangeNotifier {
  private readonly listeners = new Set<ChangeListener>();

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(companyId: string, seq: number): void {
    for (const listener of this.listeners) listener(companyId, seq);
  }
}
