/** The files of a zip as the stores unpack it: name → bytes (folders left out). */
import { buffer } from "node:stream/consumers";
import yauzl from "yauzl";

export function zipFiles(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on("error", reject);
      zip.on("end", () => resolve(files));
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith("/")) return zip.readEntry();
        zip
          .openReadStreamPromise(entry)
          .then(buffer)
          .then((bytes) => (files.set(entry.fileName, bytes), zip.readEntry()), reject);
      });
      zip.readEntry();
    });
  });
}
