/**
 * File names inside the ZIP exports. Whatever a row holds (a name kept as it was uploaded, a damaged
 * row), an entry is named by one plain file name: no path part, no control or invisible
 * direction-changing character, nothing Windows refuses, in NFC — so the archive is always valid
 * and extracts where the accountant opens it, showing the name's real extension.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const PATH_PART = /^.*[/\\]/s;
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\.|$)/i;
const EDGES = /^[\s.]+|[\s.]+$/g;
const MAX_CHARACTERS = 200;

/** `name` as a safe entry name, or `fallback` when nothing of it is left (`..`, blanks, controls). */
export function archiveFileName(name: string, fallback: string): string {
  let clean = name.replace(INVISIBLE, "").normalize("NFC").replace(PATH_PART, "").replace(WINDOWS_FORBIDDEN, "_").replace(EDGES, "");
  const characters = [...clean];
  if (characters.length > MAX_CHARACTERS) {
    const extension = /\.[^.\s]{1,10}$/.exec(clean)?.[0] ?? "";
    clean = characters.slice(0, MAX_CHARACTERS - extension.length).join("").replace(EDGES, "") + extension;
  }
  if (!clean) return fallback;
  return WINDOWS_DEVICE.test(clean) ? `_${clean}` : clean;
}
