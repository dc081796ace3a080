/** The task pane page: waits for Office, registers the custom functions (shared runtime) and mounts the pane. */
import { render } from "preact";
import "../functions/register.js";
import { App } from "./App.js";
import { displayLanguage } from "../language.js";
import { excelRun } from "../excel/host.js";
import "./styles.css";

const run = excelRun((options, batch) => Excel.run(options, batch));

void Office.onReady(() => {
  const lang = displayLanguage();
  document.documentElement.lang = lang;
  render(<App run={run} lang={lang} />, document.getElementById("app")!);
});
