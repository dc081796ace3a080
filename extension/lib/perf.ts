/** Marks the moment a view shows something the owner can use, for the end-to-end timing. */
export function markUsable(view: string): void {
  const root = document.documentElement;
  if (root.dataset.usableAt) return;
  root.dataset.usableAt = String(Math.round(performance.now()));
  root.dataset.usableView = view;
}
