import { render } from "preact";
import "../../components/theme.css";
import { uiLanguage } from "../../lib/i18n";
import { App } from "./App";

document.documentElement.lang = uiLanguage();
render(<App />, document.getElementById("app")!);
