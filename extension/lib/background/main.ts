/** Wires the background together and onto the browser's events. Listeners are registered synchronously, as MV3 requires. */
import { browser } from "wxt/browser";
import { browserEnv, type BackgroundEnv } from "./env";
import { createSession } from "./session";
import { createUploader } from "./uploads";
import { ATTENTION_ALARM, createAttention } from "./attention";
import { createRouter } from "./router";
import { createMenus, onMenuClick } from "./context-menu";

export function createBackground(env: BackgroundEnv) {
  const session = createSession(env);
  const attention = createAttention(env, session);
  const uploader = createUploader(env, session, () => attention.render());
  session.onExpired(() => attention.render());
  const router = createRouter({
    env,
    session,
    uploader,
    attention,
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL("/"),
  });
  return { session, attention, uploader, router };
}

export function startBackground(env: BackgroundEnv = browserEnv()) {
  const background = createBackground(env);
  const { attention, uploader, router } = background;
  const quietly = (work: Promise<unknown>) => void work.catch((error) => console.warn("Passerelle:", error));

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    router.handle(message, sender).then(sendResponse);
    return true; // the answer comes asynchronously
  });

  browser.runtime.onInstalled.addListener(() => quietly(createMenus()));
  browser.contextMenus.onClicked.addListener((info, tab) => quietly(onMenuClick(uploader, info, tab)));

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ATTENTION_ALARM) quietly(attention.refresh());
  });
  // Alarms may not survive a browser restart; a remembered session gets its alarm back.
  browser.runtime.onStartup.addListener(() =>
    quietly(background.session.auth().then(async (auth) => (auth ? attention.schedule().then(() => attention.refresh()) : attention.render()))),
  );

  // A worker that starts again finds what the previous one left: uploads cut short, the badge to redraw.
  quietly(uploader.recover());
  quietly(attention.render());
  return background;
}
