// Loaded with `node --import` (NODE_OPTIONS may carry --import, not --cpu-prof): profiles the
// process from its start and writes CPU_PROFILE_FILE when it exits.
import inspector from "node:inspector";
import fs from "node:fs";

const file = process.env.CPU_PROFILE_FILE;
if (file) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  process.on("exit", () => {
    // the session of the process's own thread answers synchronously
    session.post("Profiler.stop", (error, result) => {
      if (!error) fs.writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
