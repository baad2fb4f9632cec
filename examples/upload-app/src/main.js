// Seed 004's upload app: sign in with the hosted UI, get identity-pool
// credentials with the AWS SDK for JavaScript, and keep files in one's own
// S3 folder. It reads everything it needs to know about the deployment from
// /config.json, which `federa demo` writes for the pool it set up.

import { beginSignIn, claims, completeSignIn, currentTokens, signOut } from "./auth.js";
import { openFolder } from "./files.js";

const $ = (id) => document.getElementById(id);

const ui = {
  status: $("status"),
  signedOut: $("signed-out"),
  signedIn: $("signed-in"),
  signIn: $("sign-in"),
  signInPKCE: $("sign-in-pkce"),
  signOut: $("sign-out"),
  userName: $("user-name"),
  identityId: $("identity-id"),
  flow: $("flow"),
  uploadForm: $("upload-form"),
  file: $("file"),
  upload: $("upload"),
  uploadTarget: $("upload-target"),
  refresh: $("refresh"),
  files: $("files"),
  filesEmpty: $("files-empty"),
  preview: $("preview"),
  previewName: $("preview-name"),
  downloadContent: $("download-content"),
  otherFolder: $("other-folder"),
  otherFolderResult: $("other-folder-result"),
};

/** Shows a message in the live region; errors are announced at once. */
function say(text, kind = "info") {
  ui.status.textContent = text;
  ui.status.dataset.kind = kind;
  ui.status.setAttribute("aria-live", kind === "error" ? "assertive" : "polite");
}

/** Turns an SDK or network error into one readable sentence. */
function describe(err) {
  if (err instanceof TypeError && /fetch/i.test(err.message)) {
    return `${err.message}: the server could not be reached, or it refused this origin (CORS).`;
  }
  const code = err.Code || err.name;
  return code && code !== "Error" && !err.message.startsWith(code) ? `${code}: ${err.message}` : err.message;
}

/** Runs action with button disabled, reporting a failure in the live region. */
async function busy(button, action) {
  button.disabled = true;
  try {
    await action();
  } catch (err) {
    say(describe(err), "error");
  } finally {
    button.disabled = false;
  }
}

function formatSize(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Saves bytes as a file through a temporary object URL. */
function saveAs(name, bytes, contentType) {
  const url = URL.createObjectURL(new Blob([bytes], { type: contentType }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by the time the click returns; the URL can go
  // a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Shows a downloaded file's text, or says it is binary. */
function preview(name, bytes) {
  ui.previewName.textContent = name;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    ui.downloadContent.textContent = text.length > 8192 ? `${text.slice(0, 8192)}\n…` : text;
  } catch {
    ui.downloadContent.textContent = `(binary, ${bytes.length} bytes)`;
  }
  ui.preview.hidden = false;
}

function renderFiles(folder, items) {
  ui.files.replaceChildren();
  ui.filesEmpty.hidden = items.length > 0;
  for (const item of items) {
    const li = document.createElement("li");
    li.dataset.testid = "file";
    li.dataset.name = item.name;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = item.name;
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = `${formatSize(item.size ?? 0)}${item.lastModified ? ` · ${item.lastModified.toLocaleString()}` : ""}`;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "small";
    button.textContent = "Download";
    button.dataset.testid = "download";
    button.setAttribute("aria-label", `Download ${item.name}`);
    button.addEventListener("click", () => busy(button, async () => {
      say(`Downloading ${item.name}…`);
      const { bytes, contentType } = await folder.download(item.key);
      saveAs(item.name, bytes, contentType);
      preview(item.name, bytes);
      say(`Downloaded ${item.name} (${formatSize(bytes.length)}).`, "ok");
    }));
    li.append(name, meta, button);
    ui.files.append(li);
  }
}

async function showSignedIn(cfg, tokens) {
  ui.signedOut.hidden = true;
  ui.signedIn.hidden = false;
  const c = claims(tokens.idToken);
  ui.userName.textContent = c["cognito:username"] || c.email || "";
  ui.flow.textContent = tokens.flow === "code" ? "authorization code + PKCE" : "implicit flow (seed 004)";
  ui.signOut.addEventListener("click", () => signOut(cfg));

  say("Getting credentials from the identity pool…");
  let folder;
  try {
    folder = await openFolder(cfg, tokens.idToken);
  } catch (err) {
    say(`Could not get credentials: ${describe(err)}`, "error");
    return "error";
  }
  ui.identityId.textContent = folder.identityId;
  ui.uploadTarget.textContent = `s3://${cfg.bucket}/${folder.prefix}`;

  const refresh = async () => renderFiles(folder, await folder.list());
  ui.refresh.addEventListener("click", () => busy(ui.refresh, async () => {
    await refresh();
    say("File list refreshed.", "ok");
  }));
  ui.uploadForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const file = ui.file.files[0];
    if (!file) {
      say("Choose a file first.", "error");
      ui.file.focus();
      return;
    }
    busy(ui.upload, async () => {
      say(`Uploading ${file.name}…`);
      const key = await folder.upload(file);
      ui.uploadForm.reset();
      await refresh();
      say(`Uploaded ${file.name} to s3://${cfg.bucket}/${key}.`, "ok");
    });
  });
  ui.otherFolder.addEventListener("click", () => busy(ui.otherFolder, async () => {
    ui.otherFolderResult.textContent = "";
    const { key, code, message } = await folder.probeStrangerFolder();
    if (code) {
      ui.otherFolderResult.textContent = code;
      ui.otherFolderResult.dataset.kind = code === "AccessDenied" ? "denied" : "unexpected";
      say(`Writing s3://${cfg.bucket}/${key} was refused: ${code}${message ? ` (${message})` : ""}.`, code === "AccessDenied" ? "ok" : "error");
    } else {
      ui.otherFolderResult.textContent = "Allowed";
      ui.otherFolderResult.dataset.kind = "unexpected";
      say(`Writing s3://${cfg.bucket}/${key} succeeded: the role's policy is too broad.`, "error");
    }
  }));

  try {
    await refresh();
  } catch (err) {
    say(`Could not list your files: ${describe(err)}`, "error");
    return "error";
  }
  say("Signed in. Choose a file to upload.", "ok");
  return "signed-in";
}

function showSignedOut(cfg, message) {
  ui.signedIn.hidden = true;
  ui.signedOut.hidden = false;
  ui.signIn.addEventListener("click", () => busy(ui.signIn, () => beginSignIn(cfg, "implicit")));
  ui.signInPKCE.addEventListener("click", () => busy(ui.signInPKCE, () => beginSignIn(cfg, "code")));
  if (message) say(message.text, message.kind);
  else say("");
  return "signed-out";
}

async function main() {
  let cfg;
  try {
    const resp = await fetch("/config.json", { cache: "no-store" });
    if (!resp.ok) throw new Error(`${resp.status} ${resp.statusText}`);
    cfg = await resp.json();
  } catch (err) {
    say(`Could not load /config.json: ${describe(err)}`, "error");
    return "error";
  }
  let tokens = null;
  let message = null;
  try {
    tokens = await completeSignIn(cfg);
  } catch (err) {
    message = { text: describe(err), kind: "error" };
  }
  tokens = tokens || currentTokens();
  return tokens ? showSignedIn(cfg, tokens) : showSignedOut(cfg, message);
}

// data-state on <body> says where the page has settled ("signed-out",
// "signed-in", "error"), for scripts that drive the page.
main().then(
  (state) => { document.body.dataset.state = state; },
  (err) => {
    say(describe(err), "error");
    document.body.dataset.state = "error";
  },
);
