/** A database location as it may be printed: a PostgreSQL URL without its password; a file path as it is. */
export function redactedUrl(location: string): string {
  if (!/^postgres(ql)?:\/\//.test(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "postgres://…";
  }
}
