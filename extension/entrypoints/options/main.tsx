import { render } from "preact";
import "../../components/theme.css";
import { t, uiLanguage } from "../../lib/i18n";
import { App } from "./App";

document.documentElement.lang = uiLanguage();
document.title = t("optionsTitle");
render(<App />, document.getElementById("app")!);
