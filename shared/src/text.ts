/**
 * What a text field may hold. Control characters (C0, DEL, C1, and the Unicode line and paragraph
 * separators) are invisible, cut strings short in other tools (NUL) and break CSV cells and lines;
 * bidirectional formatting characters reorder what is displayed (`facture`, U+202E, `fdp.exe`
 * displays as `factureexe.pdf`). Both are refused, except the line feed of a multi-line text (CR LF
 * is read as a line feed; a lone CR is refused). Data stored before the rule may still hold them:
 * `singleLineText` flattens such a text for places that cannot carry them.
 */
import { z } from "zod";

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_BUT_LINE_FEED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const CONTROL_RUNS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const BIDI_ALL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Why `value` is not acceptable text (the rule and the first offending character), or null. */
export function textProblem(value: string, multiline = false): string | null {
  const control = (multiline ? CONTROL_BUT_LINE_FEED : CONTROL).exec(value);
  if (control) {
    return multiline
      ? `must not contain control characters other than line breaks (found ${codePoint(control[0])})`
      : `must not contain control characters or line breaks (found ${codePoint(control[0])})`;
  }
  const bidi = BIDI.exec(value);
  return bidi ? `must not contain bidirectional formatting characters (found ${codePoint(bidi[0])})` : null;
}

/** The refinement behind every text field, for schemas that are not built by `plainText` (search terms, URLs). */
export function plainTextCheck(multiline = false) {
  return (value: string, ctx: z.RefinementCtx): void => {
    const problem = textProblem(value, multiline);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  };
}

/**
 * A text field: trimmed, at most `max` characters, no control or bidirectional formatting
 * characters; `multiline` keeps line feeds (CR LF becomes LF). `typeMessage` replaces zod's
 * message for a value that is not a string.
 */
export function plainText(max: number, options: { multiline?: boolean; typeMessage?: string } = {}) {
  const trimmed = z.string(options.typeMessage ? { message: options.typeMessage } : undefined).trim();
  const lines = options.multiline ? trimmed.overwrite((v) => v.replace(/\r\n/g, "\n")) : trimmed;
  return lines.max(max).superRefine(plainTextCheck(options.multiline));
}

/** A stored text as one line of visible characters: control characters become a space, bidirectional formatting characters go. */
export function singleLineText(value: string): string {
  return value.replace(BIDI_ALL, "").replace(CONTROL_RUNS, " ");
}
