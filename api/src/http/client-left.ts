/** Whether an error only means that the client hung up while its request was being read. */
export function clientLeft(request: Request, error: unknown): boolean {
  // Node's "aborted" error of a request whose connection closed before its body arrived
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return request.signal.aborted || (code === "ECONNRESET" && message === "aborted");
}
