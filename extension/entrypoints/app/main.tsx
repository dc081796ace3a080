import { render } from "preact";
import "../../components/theme.css";
import "../../components/app/app.css";
import { t, uiLanguage } from "../../lib/i18n";
import { App } from "./App";

document.documentElement.lang = uiLanguage();
document.title = t("appTitle");
render(<App />, document.getElementById("app")!);
